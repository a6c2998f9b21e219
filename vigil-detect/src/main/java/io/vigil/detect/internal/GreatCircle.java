package io.vigil.detect.internal;

import io.vigil.detect.GeoLocation;

/** Distances on the earth's surface. */
final class GreatCircle {

    /** The earth's mean radius (IUGG); the sphere is within half a percent of the real shape, enough for travel. */
    private static final double EARTH_RADIUS_KM = 6_371.0088;

    private GreatCircle() {
    }

    /** The great-circle distance between two places, in km, by the haversine formula (stable at short distances). */
    static double distanceKm(GeoLocation a, GeoLocation b) {
        double lat1 = Math.toRadians(a.latitude());
        double lat2 = Math.toRadians(b.latitude());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b.longitude() - a.longitude());
        double h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1) * Math.cos(lat2) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}

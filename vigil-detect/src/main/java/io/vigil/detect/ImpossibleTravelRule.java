package io.vigil.detect;

import java.time.Duration;
import java.util.Objects;

/**
 * Impossible travel: an account (actor id, within a tenant) seen, on a successful event that carries an ip, from
 * a network it was not seen from in the last {@code window}. With a {@link GeoResolver} that locates both this
 * address and the one the account was last seen from, the distance between them decides whether the new network is
 * travel: a finding only when covering it in the time between the two events takes more than {@code maxSpeedKmh}.
 * See {@code docs/detection.md} for the event it records.
 *
 * @param window        how far back the previous sighting still counts, in event time
 * @param network       which addresses count as one network when no location is known
 * @param maxSpeedKmh   the fastest a person travels, in km/h; positive and finite
 * @param minDistanceKm distances up to this are never travel, in km; zero or more and finite. Locations from an
 *                      address are city-level at best and often tens of kilometres off, and over seconds such an
 *                      error reads as a supersonic speed
 */
public record ImpossibleTravelRule(Duration window, PrefixLengths network, double maxSpeedKmh,
                                   double minDistanceKm) {

    /**
     * One hour and IPv4 /16 or IPv6 /48, as the original: a /16 or a /48 is usually one provider in one region, so
     * moving to another within the hour is worth a look. 1,000 km/h: an airliner cruises at about 900 km/h, so a
     * passenger who logs in before and after a flight stays below it, while two continents within an hour do not.
     * 100 km: about the accuracy radius of city-level address geolocation.
     */
    public static final ImpossibleTravelRule DEFAULT =
            new ImpossibleTravelRule(Duration.ofHours(1), new PrefixLengths(16, 48), 1_000.0, 100.0);

    public ImpossibleTravelRule {
        Rules.positive("impossible travel window", Objects.requireNonNull(window, "window"));
        Objects.requireNonNull(network, "network");
        if (!(maxSpeedKmh > 0) || Double.isInfinite(maxSpeedKmh)) {
            throw new IllegalArgumentException("impossible travel maxSpeedKmh " + maxSpeedKmh
                    + " must be positive and finite");
        }
        if (!(minDistanceKm >= 0) || Double.isInfinite(minDistanceKm)) {
            throw new IllegalArgumentException("impossible travel minDistanceKm " + minDistanceKm
                    + " must be zero or more and finite");
        }
    }
}

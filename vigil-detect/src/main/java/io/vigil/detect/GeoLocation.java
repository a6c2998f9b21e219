package io.vigil.detect;

import java.util.Objects;
import java.util.Optional;

/**
 * A place on the earth as a {@link GeoResolver} knows it.
 *
 * @param latitude  degrees north, -90 to 90
 * @param longitude degrees east, -180 to 180
 * @param country   the country, as the resolver names it (an ISO 3166 code, say), when known
 * @param city      the city, when known
 */
public record GeoLocation(double latitude, double longitude, Optional<String> country, Optional<String> city) {

    public GeoLocation {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("latitude " + latitude + " must be between -90 and 90");
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude " + longitude + " must be between -180 and 180");
        }
        Objects.requireNonNull(country, "country must be an Optional, not null");
        Objects.requireNonNull(city, "city must be an Optional, not null");
    }

    /** A location known only by its coordinates. */
    public GeoLocation(double latitude, double longitude) {
        this(latitude, longitude, Optional.empty(), Optional.empty());
    }
}

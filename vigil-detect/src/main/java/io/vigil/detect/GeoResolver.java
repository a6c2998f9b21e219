package io.vigil.detect;

import io.vigil.event.IpAddress;

import java.util.Optional;

/**
 * Where an address is on the earth, for users who have a geolocation database: given to
 * {@link DetectionStage.Builder#impossibleTravel(ImpossibleTravelRule, GeoResolver)}, it lets impossible travel be
 * judged by distance and speed rather than by a change of network. Called on the stage's detection thread when an
 * account shows a new network, so it should answer from memory, not over the network.
 */
@FunctionalInterface
public interface GeoResolver {

    /**
     * The location of {@code address}, or empty when it is unknown (a private range, an address the database lacks);
     * never null. An exception is not swallowed: the detection stage counts and logs it, as for any failing detector.
     */
    Optional<GeoLocation> locate(IpAddress address);
}

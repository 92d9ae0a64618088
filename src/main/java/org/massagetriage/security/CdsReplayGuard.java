package org.massagetriage.security;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code jti} of every CDS client token accepted, until the token could no longer be accepted
 * anyway (its {@code exp} plus the clock-skew allowance): a second use of the same issuer and
 * {@code jti} in that time is a replay of a captured token, and refused.
 *
 * <p>In memory, so it covers one process: with several replicas behind a load balancer a token
 * replayed to another replica would pass, and they would need a shared store (a table with a unique
 * key on issuer and jti, or Redis SET NX with the expiry).
 *
 * <p>Bounded: only tokens that verified (signed by a trusted client) are recorded, each for at most
 * about five and a half minutes, and their {@code jti} is at most {@link CdsClientVerifier#MAX_CLAIM}
 * characters. When full even after expired entries are dropped, a new token is refused, never an
 * old entry forgotten early: forgetting would let that token be replayed.
 */
final class CdsReplayGuard {

    private record Key(String issuer, String jti) {
    }

    private final ConcurrentHashMap<Key, Instant> seen = new ConcurrentHashMap<>();
    private final int capacity;

    CdsReplayGuard(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Records a first use; false when the same issuer and jti were used before and are still
     * remembered at {@code now}, or when there is no room.
     *
     * @param until when the token can no longer be accepted, so its jti need not be remembered
     */
    boolean firstUse(String issuer, String jti, Instant until, Instant now) {
        if (seen.size() >= capacity) {
            seen.values().removeIf(expiry -> !now.isBefore(expiry));
            if (seen.size() >= capacity) {
                return false;
            }
        }
        boolean[] first = {false};
        seen.compute(new Key(issuer, jti), (key, expiry) -> {
            if (expiry != null && now.isBefore(expiry)) {
                return expiry;
            }
            first[0] = true;
            return until;
        });
        return first[0];
    }

    int size() {
        return seen.size();
    }

    boolean full() {
        return seen.size() >= capacity;
    }
}

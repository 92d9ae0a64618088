package org.massagetriage.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers tokens that passed verification, so that a booking system sending the same token with
 * every request is verified once, not per request (verification was about 40% of the CPU of a
 * triage request; docs/performance.md).
 *
 * <p>Only a token that verified is ever stored, under its exact text; a hit is honoured until the
 * token's own expiry (without the verifier's clock-skew allowance) and at most {@code maxAge} after
 * it was verified, so that a change of trusted keys reaches cached tokens within that time. The
 * size is bounded: when full, expired entries go first, then everything.
 *
 * @param <I> what verification produced (the security identity)
 */
public final class VerifiedTokenCache<I> {

    private record Entry<I>(I identity, Instant usableUntil) {
    }

    private final ConcurrentHashMap<String, Entry<I>> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Duration maxAge;
    private final Clock clock;

    public VerifiedTokenCache(int maxEntries, Duration maxAge, Clock clock) {
        this.maxEntries = maxEntries;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The identity of a token verified before and still usable now, or null. */
    public I get(String token) {
        if (maxEntries == 0) {
            return null;
        }
        Entry<I> e = entries.get(token);
        if (e == null) {
            return null;
        }
        if (!clock.instant().isBefore(e.usableUntil())) {
            entries.remove(token, e);
            return null;
        }
        return e.identity();
    }

    /** Stores a token that has just passed verification; {@code expiresAt} is its exp claim. */
    public void put(String token, I identity, Instant expiresAt) {
        if (maxEntries == 0) {
            return;
        }
        Instant now = clock.instant();
        Instant until = now.plus(maxAge);
        if (expiresAt.isBefore(until)) {
            until = expiresAt;
        }
        if (!now.isBefore(until)) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> !now.isBefore(e.usableUntil()));
            if (entries.size() >= maxEntries) {
                // Only verified tokens get here, so this is many live clients, not an attack; start over.
                entries.clear();
            }
        }
        entries.put(token, new Entry<>(identity, until));
    }

    public int size() {
        return entries.size();
    }
}

package org.massagetriage.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/**
 * The cache must never make a token last longer than it would have without it: not past its own
 * expiry, not past the maximum age, and never for a token it was not given after verification.
 */
class VerifiedTokenCacheTests {

    static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final ManualClock clock = new ManualClock();

    @Test
    void shouldAnswerOnlyForTheExactTokenItWasGiven() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10, Duration.ofMinutes(1), clock);
        cache.put("Bearer a.b.c", "identity", T0.plusSeconds(600));
        assertEquals("identity", cache.get("Bearer a.b.c"));
        assertNull(cache.get("Bearer a.b.d"));
        assertNull(cache.get("bearer a.b.c"));
    }

    @Test
    void shouldForgetATokenAtItsExpiryEvenWithinTheMaximumAge() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10, Duration.ofMinutes(5), clock);
        cache.put("t", "identity", T0.plusSeconds(30));
        clock.now = T0.plusSeconds(29);
        assertEquals("identity", cache.get("t"));
        clock.now = T0.plusSeconds(30);
        assertNull(cache.get("t"));
        assertEquals(0, cache.size());
    }

    @Test
    void shouldVerifyAgainAfterTheMaximumAgeEvenIfTheTokenLivesLonger() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10, Duration.ofSeconds(60), clock);
        cache.put("t", "identity", T0.plusSeconds(3600));
        clock.now = T0.plusSeconds(59);
        assertEquals("identity", cache.get("t"));
        clock.now = T0.plusSeconds(60);
        assertNull(cache.get("t"));
    }

    @Test
    void shouldNotStoreATokenAlreadyExpired() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10, Duration.ofSeconds(60), clock);
        // Accepted by the verifier within its clock skew, but past its exp: verified every time.
        cache.put("t", "identity", T0.minusSeconds(10));
        assertNull(cache.get("t"));
        assertEquals(0, cache.size());
    }

    @Test
    void shouldStayWithinItsSizeDroppingExpiredEntriesFirst() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(3, Duration.ofMinutes(10), clock);
        cache.put("short", "s", T0.plusSeconds(10));
        cache.put("a", "a", T0.plusSeconds(600));
        cache.put("b", "b", T0.plusSeconds(600));
        clock.now = T0.plusSeconds(20);
        cache.put("c", "c", T0.plusSeconds(600));
        assertEquals(3, cache.size());
        assertEquals("a", cache.get("a"));
        assertEquals("c", cache.get("c"));
        cache.put("d", "d", T0.plusSeconds(600));
        assertEquals(1, cache.size(), "full of live entries: starts over");
        assertEquals("d", cache.get("d"));
    }

    @Test
    void shouldKeepNothingWhenSizeIsZero() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(0, Duration.ofMinutes(1), clock);
        cache.put("t", "identity", T0.plusSeconds(600));
        assertNull(cache.get("t"));
    }
}

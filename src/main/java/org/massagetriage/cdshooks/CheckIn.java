package org.massagetriage.cdshooks;

import java.time.Instant;

/**
 * What the lookup found for the patient: a usable check-in, or the reason none can be decided on.
 *
 * @param response the QuestionnaireResponse as JSON, when usable
 * @param authored when the patient answered it
 * @param notUsable why there is nothing to decide on (for the clinic's card), or null when usable
 */
record CheckIn(byte[] response, Instant authored, String notUsable) {

    static CheckIn usable(byte[] response, Instant authored) {
        return new CheckIn(response, authored, null);
    }

    static CheckIn none(String why) {
        return new CheckIn(null, null, why);
    }

    boolean isUsable() {
        return notUsable == null;
    }
}

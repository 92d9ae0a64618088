package org.massagetriage.security;

/**
 * A CDS client's token was refused. The message is for the operator's DEBUG log: it says which check
 * failed, never the token (a replayable credential until it expires).
 */
public class CdsTokenRefusedException extends Exception {

    public CdsTokenRefusedException(String reason) {
        super(reason, null, false, false);
    }
}

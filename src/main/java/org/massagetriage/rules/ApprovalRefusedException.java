package org.massagetriage.rules;

/**
 * An approval or rejection that cannot be done: nothing of that version waits (404), the submitter approves (403),
 * another replica decided otherwise a moment earlier (409), or the store cannot share it with the other replicas (503).
 */
public class ApprovalRefusedException extends RuntimeException {

    private final int status;

    public ApprovalRefusedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

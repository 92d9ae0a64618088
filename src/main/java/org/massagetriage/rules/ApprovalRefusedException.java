package org.massagetriage.rules;

/** An approval or rejection that cannot be done: nothing of that version waits (404), or the submitter approves (403). */
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

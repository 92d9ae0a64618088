package org.massagetriage.rules;

/** A rule file that cannot be read or saved as asked: not a file of the rules directory (404), or changed meanwhile (412). */
public class RuleFileException extends RuntimeException {

    private final int status;

    public RuleFileException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

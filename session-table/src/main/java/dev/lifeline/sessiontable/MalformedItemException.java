package dev.lifeline.sessiontable;

/**
 * An item is not a well-formed item of the kind being decoded; the message names what is wrong
 * ("sessions is missing or not a number"). Items come from other processes, possibly of another
 * version, so readers skip and count these rather than fail.
 */
public final class MalformedItemException extends IllegalArgumentException {

    public MalformedItemException(String whatIsWrong) {
        super(whatIsWrong);
    }
}

package dev.lifeline.sessiontable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Attribute values as the codecs write them; numbers in the SDK's decimal form. */
final class AttributeValues {

    private AttributeValues() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** {@code Double.toString}: whole values keep their ".0" (1.0), which readers of numbers accept either way. */
    static AttributeValue n(double value) {
        return AttributeValue.fromN(Double.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }
}

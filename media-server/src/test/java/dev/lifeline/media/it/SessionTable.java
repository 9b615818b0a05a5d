package dev.lifeline.media.it;

import java.net.URI;

import dev.lifeline.media.load.SessionTableSetup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The session table in the emulator, created the way the operator creates it in AWS. */
final class SessionTable {

    private SessionTable() {
    }

    static DynamoDbClient client(URI endpoint) {
        return client(endpoint, "us-east-1");
    }

    /** moto keeps one backend per region: the table must live in the region the instances use. */
    static DynamoDbClient client(URI endpoint, String region) {
        return SessionTableSetup.emulatorClient(endpoint, region);
    }

    static void create(DynamoDbClient dynamo, String table) {
        SessionTableSetup.create(dynamo, table);
    }
}

package dev.lifeline.operator.aws.dns;

/** One entry of a ChangeResourceRecordSets batch. */
public record DnsChange(Action action, DnsRecord record) {

    public enum Action { CREATE, UPSERT, DELETE }

    public static DnsChange create(DnsRecord record) {
        return new DnsChange(Action.CREATE, record);
    }

    public static DnsChange upsert(DnsRecord record) {
        return new DnsChange(Action.UPSERT, record);
    }

    public static DnsChange delete(DnsRecord record) {
        return new DnsChange(Action.DELETE, record);
    }
}

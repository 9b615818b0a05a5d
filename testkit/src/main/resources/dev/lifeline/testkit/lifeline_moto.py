"""Starts moto's server for Lifeline's tests.

Usage: python lifeline_moto.py -H 127.0.0.1 -p PORT

A launcher (rather than the moto_server script) so the test kit can add to moto, in this one
reviewed place, behaviour the emulator lacks but the tests need.

Added: DynamoDB global tables version 2019.11.21 replicas. moto 5.2.1 accepts
UpdateTable ReplicaUpdates and silently ignores it, and DescribeTable never lists Replicas.
This models what the AWS documentation describes, as far as an operator can observe it:
  - one replica Create or Delete per UpdateTable call (ValidationException otherwise);
  - the table needs streams with NEW_AND_OLD_IMAGES (ValidationException otherwise);
  - while a replica is CREATING or DELETING the table is UPDATING and further replica
    updates fail with ResourceInUseException;
  - a replica turns ACTIVE (or disappears) after LIFELINE_MOTO_REPLICA_SECONDS
    (default 1.0) seconds, evaluated lazily when the table is next described;
  - the replica is a real table in its region's moto backend (same keys, billing, streams),
    so that region's clients can describe and use it; items written before it turned ACTIVE are not copied;
  - DescribeTable in any replica region lists the other regions' replicas;
  - DeleteTable of a replica removes it from its peers' replica lists.
  - PutItem, UpdateItem and DeleteItem are replicated to the table's ACTIVE replicas as
    global tables do: the whole resulting item (or its deletion), after
    LIFELINE_MOTO_REPLICATION_SECONDS (default 0: at once, within the write), settled
    last-writer-wins: every write gets a timestamp from one clock, and a replicated write
    older than the version a replica holds of that item is dropped there. Conditional
    checks apply in the region written to only, so with a delay two regions can both pass
    a condition on one item and replication keeps the later write everywhere.
    Writes are serialised (one lock), which also makes moto's conditional writes atomic.
Not modelled: replication of batch and transactional writes, replica-level settings
overrides, ReplicaUpdates Update.

Corrected in Route 53, where moto 5.2.1 differs from AWS in ways that would hide bugs:
  - DELETE of a record with a SetIdentifier removes every record in the zone with that
    identifier, whatever its name and type; AWS removes the one record (name, type, identifier);
  - CREATE of a record whose name, type and identifier exist adds a duplicate; AWS rejects the
    batch with InvalidChangeBatch;
  - CreateHealthCheck ignores CallerReference; AWS returns the existing health check for a
    repeated reference with the same settings, and HealthCheckAlreadyExists for a reference
    used with other settings or by a deleted health check.
"""
import heapq
import itertools
import json
import os
import sys
import threading
import time
import uuid

from moto import server
from moto.core.base_backend import BackendDict
from moto.dynamodb import responses as ddb_responses
from moto.dynamodb.exceptions import MockValidationException, ResourceInUseException
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.table import Table

REPLICA_SECONDS = float(os.environ.get("LIFELINE_MOTO_REPLICA_SECONDS", "1.0"))
REPLICATION_SECONDS = float(os.environ.get("LIFELINE_MOTO_REPLICATION_SECONDS", "0"))

# (account, table name) -> {region: {"status": str, "since": float}}; the home region is ACTIVE.
_GROUPS = {}
_LOCK = threading.RLock()


def _advance(account, name):
    """Moves replicas whose transition time has passed to their final state."""
    group = _GROUPS.get((account, name))
    if not group:
        return
    now = time.monotonic()
    for region, replica in list(group.items()):
        if now - replica["since"] < REPLICA_SECONDS:
            continue
        if replica["status"] == "CREATING":
            replica["status"] = "ACTIVE"
        elif replica["status"] == "DELETING":
            del group[region]
            backend = dynamodb_backends[account][region]
            backend.tables.pop(name, None)


def _transitioning(group):
    return any(r["status"] in ("CREATING", "DELETING") for r in group.values())


_original_describe = Table.describe


def _describe(self, base_key="TableDescription"):
    with _LOCK:
        _advance(self.account_id, self.name)
        result = _original_describe(self, base_key)
        group = _GROUPS.get((self.account_id, self.name))
        if group and self.region_name in group:
            result[base_key]["Replicas"] = [
                {"RegionName": region, "ReplicaStatus": replica["status"]}
                for region, replica in sorted(group.items())
                if region != self.region_name
            ]
            if _transitioning(group):
                result[base_key]["TableStatus"] = "UPDATING"
        return result


Table.describe = _describe

_original_update_table = ddb_responses.DynamoHandler.update_table


def _update_table(self):
    updates = self.body.get("ReplicaUpdates")
    if not updates:
        return _original_update_table(self)
    if len(updates) != 1:
        raise MockValidationException(
            "One or more parameter values were invalid: only one replica update is allowed per request")
    name = self.body["TableName"]
    account = self.current_account
    home = self.region
    with _LOCK:
        table = self.dynamodb_backend.get_table(name)
        _advance(account, name)
        group = _GROUPS.setdefault((account, name), {})
        group.setdefault(home, {"status": "ACTIVE", "since": 0.0})
        if _transitioning(group):
            raise ResourceInUseException(
                "Attempt to change a resource which is still in use: Table is being updated: " + name)
        stream = table.stream_specification or {}
        if not stream.get("StreamEnabled") or stream.get("StreamViewType") != "NEW_AND_OLD_IMAGES":
            raise MockValidationException(
                "One or more parameter values were invalid: Table must have DynamoDB Streams enabled "
                "with StreamViewType NEW_AND_OLD_IMAGES to add replicas")
        update = updates[0]
        if "Create" in update:
            region = update["Create"]["RegionName"]
            if region in group:
                raise MockValidationException(
                    "One or more parameter values were invalid: replica already exists in region " + region)
            backend = dynamodb_backends[account][region]
            if name in backend.tables:
                raise MockValidationException(
                    "One or more parameter values were invalid: a table named " + name
                    + " already exists in region " + region)
            backend.create_table(
                name=name, schema=table.schema, throughput=table.throughput, attr=table.attr,
                global_indexes=None, indexes=None, streams=dict(stream), billing_mode=table.billing_mode,
                sse_specification=None, tags=[], deletion_protection_enabled=False, warm_throughput=None)
            group[region] = {"status": "CREATING", "since": time.monotonic()}
        elif "Delete" in update:
            region = update["Delete"]["RegionName"]
            if region not in group or region == home:
                raise MockValidationException(
                    "One or more parameter values were invalid: no replica of " + name + " in region " + region)
            replica_table = dynamodb_backends[account][region].tables.get(name)
            if replica_table is not None and replica_table.deletion_protection_enabled:
                raise MockValidationException(
                    "One or more parameter values were invalid: replica in " + region
                    + " has deletion protection enabled")
            group[region] = {"status": "DELETING", "since": time.monotonic()}
        else:
            raise MockValidationException("One or more parameter values were invalid: unsupported replica update")
        return ddb_responses.DynamoResult(table.describe())


ddb_responses.DynamoHandler.update_table = _update_table

_original_delete_table = DynamoDBBackend.delete_table


def _delete_table(self, name):
    with _LOCK:
        deleted = _original_delete_table(self, name)
        group = _GROUPS.get((self.account_id, name))
        if group is not None:
            group.pop(self.region_name, None)
            if not group:
                del _GROUPS[(self.account_id, name)]
        return deleted


DynamoDBBackend.delete_table = _delete_table

_original_put_item = DynamoDBBackend.put_item
_original_update_item = DynamoDBBackend.update_item
_original_delete_item = DynamoDBBackend.delete_item

# Last writer wins: (account, region, table, key) -> timestamp of the version that replica holds.
_VERSIONS = {}
_STAMPS = itertools.count(1)
# Delayed replication: a heap of (due, sequence, apply) and the thread that applies them when due.
_PENDING = []
_PENDING_READY = threading.Condition(_LOCK)
_SEQUENCE = itertools.count()


def _key(table, attrs):
    """The item's key attributes in wire format, from its attributes or a Key parameter."""
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    return {name: attrs[name] for name in names if name in attrs}


def _hashable(key):
    return json.dumps(key, sort_keys=True)


def _wire(item):
    return None if item is None else item.to_json()["Attributes"]


def _replicate(backend, table_name, key, attrs):
    """Stamps the write just made in backend's region and sends it to the ACTIVE replicas."""
    account, origin = backend.account_id, backend.region_name
    stamp = next(_STAMPS)
    _VERSIONS[(account, origin, table_name, _hashable(key))] = stamp
    _advance(account, table_name)
    group = _GROUPS.get((account, table_name)) or {}
    for region, replica in group.items():
        if region == origin or replica["status"] != "ACTIVE":
            continue
        apply = (lambda r=region: _apply(account, r, table_name, key, attrs, stamp))
        if REPLICATION_SECONDS <= 0:
            apply()
        else:
            heapq.heappush(_PENDING, (time.monotonic() + REPLICATION_SECONDS, next(_SEQUENCE), apply))
            _PENDING_READY.notify()


def _apply(account, region, table_name, key, attrs, stamp):
    """Applies a replicated write unless the replica holds a later version of the item (last writer wins)."""
    peer = dynamodb_backends[account][region]
    table = peer.tables.get(table_name)
    version = (account, region, table_name, _hashable(key))
    if table is None or _VERSIONS.get(version, 0) >= stamp:
        return
    _VERSIONS[version] = stamp
    if attrs is not None:
        _original_put_item(peer, table_name, attrs)
        return
    hash_key, range_key = peer.get_keys_value(table, key)
    table.delete_item(hash_key, range_key)


def _replicator():
    with _LOCK:
        while True:
            while not _PENDING or _PENDING[0][0] > time.monotonic():
                _PENDING_READY.wait(None if not _PENDING else max(0.0, _PENDING[0][0] - time.monotonic()))
            _, _, apply = heapq.heappop(_PENDING)
            try:
                apply()
            except Exception as e:  # a replica deleted meanwhile: nothing to apply to
                print("replication dropped: %r" % (e,), file=sys.stderr)


threading.Thread(target=_replicator, name="lifeline-replication", daemon=True).start()


def _put_item(self, table_name, item_attrs, *args, **kwargs):
    with _LOCK:
        item = _original_put_item(self, table_name, item_attrs, *args, **kwargs)
        table = self.get_table(table_name)
        _replicate(self, table_name, _key(table, item_attrs), _wire(item))
        return item


def _update_item(self, table_name, key, *args, **kwargs):
    with _LOCK:
        item = _original_update_item(self, table_name, key, *args, **kwargs)
        table = self.get_table(table_name)
        _replicate(self, table_name, _key(table, key), _wire(self.get_item(table_name, key)))
        return item


def _delete_item(self, table_name, key, *args, **kwargs):
    with _LOCK:
        item = _original_delete_item(self, table_name, key, *args, **kwargs)
        table = self.get_table(table_name)
        _replicate(self, table_name, _key(table, key), None)
        return item


DynamoDBBackend.put_item = _put_item
DynamoDBBackend.update_item = _update_item
DynamoDBBackend.delete_item = _delete_item

_original_reset = BackendDict.reset.__func__


def _reset(cls):
    with _LOCK:
        _GROUPS.clear()
        _CALLER_REFERENCES.clear()
        _VERSIONS.clear()
        del _PENDING[:]
    return _original_reset(cls)


# moto's reset API (POST /moto-api/reset) goes through BackendDict.reset.
BackendDict.reset = classmethod(_reset)


from moto.route53 import models as r53_models
from moto.route53.exceptions import ResourceRecordAlreadyExists, Route53ClientError

_PENDING_DELETES = threading.local()
_original_change_rrsets = r53_models.Route53Backend.change_resource_record_sets


def _norm(name):
    return name.rstrip(".").lower()


def _change_rrsets(self, zoneid, change_list):
    _PENDING_DELETES.records = [
        dict(c["ResourceRecordSet"]) for c in change_list
        if c["Action"] == "DELETE" and "SetIdentifier" in c["ResourceRecordSet"]]
    try:
        return _original_change_rrsets(self, zoneid, change_list)
    finally:
        _PENDING_DELETES.records = []


def _delete_rrset_by_id(self, set_identifier):
    pending = getattr(_PENDING_DELETES, "records", [])
    match = next((r for r in pending if r.get("SetIdentifier") == set_identifier), None)
    if match is None:
        return
    pending.remove(match)
    self.rrsets = [
        rrset for rrset in self.rrsets
        if not (_norm(rrset.name) == _norm(match["Name"]) and rrset.type == match["Type"]
                and rrset.set_identifier == set_identifier)]


def _add_rrset(self, record_set):
    for rrset in self.rrsets:
        if (_norm(rrset.name) == _norm(record_set["Name"]) and rrset.type == record_set["Type"]
                and rrset.set_identifier == record_set.get("SetIdentifier")):
            raise ResourceRecordAlreadyExists(name=record_set["Name"], _type=record_set["Type"])
    return _original_add_rrset(self, record_set)


_original_add_rrset = r53_models.FakeZone.add_rrset
r53_models.Route53Backend.change_resource_record_sets = _change_rrsets
r53_models.FakeZone.delete_rrset_by_id = _delete_rrset_by_id
r53_models.FakeZone.add_rrset = _add_rrset

# CallerReference -> (settings, health check id); kept after deletion, as AWS does.
_CALLER_REFERENCES = {}
_original_create_health_check = r53_models.Route53Backend.create_health_check


class HealthCheckAlreadyExists(Route53ClientError):
    def __init__(self, reference):
        super().__init__("HealthCheckAlreadyExists",
                         "A health check with caller reference " + reference
                         + " already exists or existed, with other settings or deleted")


def _create_health_check(self, caller_reference, health_check_args):
    key = (self.account_id, caller_reference)
    settings = repr(sorted((k, repr(v)) for k, v in health_check_args.items()))
    with _LOCK:
        known = _CALLER_REFERENCES.get(key)
        if known is not None:
            known_settings, known_id = known
            if known_settings == settings and known_id in self.health_checks:
                return self.health_checks[known_id]
            raise HealthCheckAlreadyExists(caller_reference)
        health_check = _original_create_health_check(self, caller_reference, health_check_args)
        _CALLER_REFERENCES[key] = (settings, health_check.id)
        return health_check


r53_models.Route53Backend.create_health_check = _create_health_check


from moto.route53 import responses as r53_responses

_original_change_response = r53_responses.Route53.change_resource_record_sets


def _change_response(self):
    result = _original_change_response(self)
    info = result.result["ChangeInfo"]
    info["Id"] = "/change/C" + uuid.uuid4().hex[:13].upper()
    info["Status"] = "PENDING"
    return result


r53_responses.Route53.change_resource_record_sets = _change_response

import ipaddress
import urllib.error
import urllib.request
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

_original_health_check_status = r53_responses.Route53.get_health_check_status


def _checked_status(check):
    url = "http://%s:%d%s" % (check.ip_address, int(check.port), check.resource_path or "/")
    try:
        with urllib.request.urlopen(url, timeout=2.0) as response:
            code = response.status
        ok = 200 <= code < 400
        words = "HTTP Status Code: %d" % code
    except urllib.error.HTTPError as e:
        ok = False
        words = "HTTP Status Code: %d" % e.code
    except Exception as e:  # refused, timed out, reset: the endpoint does not answer
        ok = False
        words = "%s" % e
    if check.inverted:
        ok = not ok
    return ("Success: " if ok else "Failure: ") + words


def _health_check_status(self):
    check = self.backend.get_health_check(self._get_param("HealthCheckId"))
    try:
        loopback = check.ip_address is not None and ipaddress.ip_address(check.ip_address).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        return _original_health_check_status(self)
    return ActionResult({"HealthCheckObservations": [{
        "Region": "us-east-1",
        "IPAddress": check.ip_address,
        "StatusReport": {"Status": _checked_status(check), "CheckedTime": utcnow()},
    }]})


r53_responses.Route53.get_health_check_status = _health_check_status


if __name__ == "__main__":
    server.main(sys.argv[1:])

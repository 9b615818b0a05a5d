/**
 * The contract of the shared DynamoDB session table (single-table design): the names the
 * operator and the media-server both read and write, and one codec per item kind. A name changed
 * here changes the wire format of running platforms, whose operators and media servers are
 * upgraded one at a time: add an attribute rather than rename one. docs/session-table.md explains
 * the layout; this package is its source of truth.
 */
package dev.lifeline.sessiontable;

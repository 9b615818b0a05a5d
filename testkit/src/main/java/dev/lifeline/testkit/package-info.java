/**
 * Real emulator processes for tests (moto server for DynamoDB and Route 53, the fault-injecting
 * proxy). Each harness starts what it needs itself, so tests pass on a brand-new machine.
 */
package dev.lifeline.testkit;

/**
 * What the informer caches keep of each object (fabric8 item stores, named in the informer configurations): only
 * what the operator reads, so that a thousand platforms' objects fit a small heap.
 */
package dev.lifeline.operator.cache;

/**
 * Spring application events for what happens to a supervised instance: its registration
 * (with how the instance before it ended), the start of health checking, quorum lost and
 * regained, and that the supervisor is about to stop it.
 */
package io.samboot.autoconfigure.event;

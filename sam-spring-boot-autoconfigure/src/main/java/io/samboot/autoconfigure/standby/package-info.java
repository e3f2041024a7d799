/**
 * The hot standby in a Spring Boot application ({@code sam.standby.enabled}): the
 * supervisor's listening socket handed to the web server, and the gate where a standby
 * waits, every bean created, until it is promoted.
 */
package io.samboot.autoconfigure.standby;

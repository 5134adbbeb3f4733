/**
 * Zeek (and Bro 2.x) conn.log as a source of connection events.
 *
 * <ul>
 *   <li>{@code parse}: pure parsers, line in, {@link io.flowsentry.collector.zeek.parse.LineOutcome}
 *       out (event, header text, or a counted bad line); TSV with its header read by column
 *       name, JSON with dotted keys; no I/O, clocks or metrics.
 *   <li>{@code tail}: the pieces of following files: bounded line splitting, file identity
 *       (device + inode + header fingerprint), open files, checkpoints.
 *   <li>{@link io.flowsentry.collector.zeek.ZeekTailer}: one {@code inputs.zeek} entry followed
 *       live on its own virtual thread through rotation, truncation, replacement and restarts;
 *       {@link io.flowsentry.collector.zeek.ZeekLogReader}: whole files in a given order
 *       ({@code flowsentry replay}, backfill of rotated archives).
 * </ul>
 *
 * <p>Delivery: an event is handed to the {@code EventHandler} before the checkpoint may move
 * past its line, so a clean restart repeats nothing and loses nothing, and a crash repeats at
 * most the lines of the last second (the checkpoint interval).
 */
package io.flowsentry.collector.zeek;

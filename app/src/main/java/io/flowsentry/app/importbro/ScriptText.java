package io.flowsentry.app.importbro;

/** One script's text and the name problems give it (usually its path). */
public record ScriptText(String file, String text) {}

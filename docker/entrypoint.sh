#!/bin/sh
# The container's entrypoint: the JVM options bin/jvm-opts chooses (the same as bin/flowsentry's),
# or FLOWSENTRY_JAVA_OPTS when set. Out of memory the JVM exits (status 3) instead of running on
# half alive, so Docker restarts it.
# shellcheck disable=SC2046 # word splitting of the option line is intended
exec java -XX:+ExitOnOutOfMemoryError -Dflowsentry.home=/opt/flowsentry ${FLOWSENTRY_JAVA_OPTS:-$(/opt/flowsentry/bin/jvm-opts "$JAVA_HOME")} -jar /opt/flowsentry/flowsentry.jar "$@"

# Sourced by the project's scripts: sets JAVA_HOME to a JDK 21 or newer, or exits with a clear message.
# Looks at $JAVA_HOME, then `java` on the PATH, then the JDKs under /usr/lib/jvm and /opt, newest first.

clusworker_java_major() {
    # prints the major version of the JDK at $1 (empty if it is not a JDK with javac)
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    # the JDK's release file says it without starting a JVM; ask the JVM only if there is none
    if [ -f "$1/release" ] && grep -q '^JAVA_VERSION="[0-9]' "$1/release"; then
        sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
        return 0
    fi
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

clusworker_find_jdk() {
    local candidates=() dir major
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    for dir in $(ls -d /usr/lib/jvm/* /opt/*jdk* /opt/java/* 2>/dev/null | sort -rV); do
        candidates+=("$dir")
    done
    for dir in "${candidates[@]}"; do
        major=$(clusworker_java_major "$dir")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if ! CLUSWORKER_JDK=$(clusworker_find_jdk); then
    echo "clusworker needs a JDK 21 or newer (java and javac), and found none." >&2
    echo "  Looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), javac on the PATH, /usr/lib/jvm/*, /opt/*jdk*." >&2
    echo "  Install one (e.g. 'apt-get install openjdk-21-jdk-headless') or point JAVA_HOME at it." >&2
    exit 1
fi
export JAVA_HOME="$CLUSWORKER_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
    echo "clusworker builds with Apache Maven 3.8 or newer, and 'mvn' is not on the PATH." >&2
    echo "  Install it (e.g. 'apt-get install maven')." >&2
    exit 1
fi
# Maven's own guava warns about sun.misc.Unsafe on JDK 24+; that warning is not ours.
case "$(clusworker_java_major "$JAVA_HOME")" in
    2[4-9]|[3-9][0-9]) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;;
esac

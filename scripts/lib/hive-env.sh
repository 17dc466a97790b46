# Sourced by scripts/bench-hive.sh and scripts/hive-sql.sh: builds the shaded score_anomaly jar and the
# hive-udf test classes, and sets
#   hive_cp    the classpath of a Hive node: the Hive stack + the shaded jar (not the unshaded tsad jars,
#              protobuf 4.x or gson, which the shaded jar relocates) + the test classes (embedded Hive)
#   hive_opens the JVM flags Hive 4 needs on JDK 17
# Needs $root (the project root) and $out (a work directory).
mvn -B -q -ntp -pl hive-udf -am -DskipTests package 2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
mvn -B -q -ntp -pl hive-udf -am dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" \
  -Dmdep.includeScope=test \
  -DexcludeArtifactIds=tsad-core-jni,tsad-registry,protobuf-java,protobuf-java-util,gson,javacpp,pytorch,openblas \
  2>&1 | sed "s/\x1b\[[0-9;]*m//g" >&2
hive_cp="$root/hive-udf/target/test-classes:$root/hive-udf/target/tsad-hive-udf.jar:$(cat "$out/classpath.txt")"
hive_opens="--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.regex=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.sql/java.sql=ALL-UNNAMED"

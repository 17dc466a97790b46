"""Scores a CSV through Spark in local mode and prints what Spark returns, for SparkSqlTest to compare with
tsad score. Spark SQL: score_anomaly() / anomaly_detail() from the shaded Hive jar (CREATE TEMPORARY FUNCTION ...
USING JAR) with numeric (epoch ms) and TIMESTAMP time fields. MLflow: mlflow.pyfunc.spark_udf over one row per
slice (arrays), and groupBy().applyInPandas with the pyfunc model.
Usage: spark_check.py JAR MODEL CSV WORK_DIR (MODEL: a bundle directory or models:/NAME@ALIAS, with
MLFLOW_TRACKING_URI set). Output lines: query<TAB>slice_id<TAB>score."""
import sys

import mlflow.pyfunc
from pyspark.sql import SparkSession

jar, model_dir, csv, work = sys.argv[1:5]
spark = (SparkSession.builder.master("local[2]").appName("tsad-spark-check")
         .config("spark.sql.warehouse.dir", work + "/warehouse")
         .config("spark.driver.extraJavaOptions", "-Dderby.system.home=" + work + "/derby")
         .config("spark.hadoop.hive.downloaded.resources.dir", work + "/resources")
         .config("spark.hadoop.javax.jdo.option.ConnectionURL",
                 "jdbc:derby:;databaseName=" + work + "/metastore;create=true")
         .config("spark.ui.enabled", "false")
         .enableHiveSupport().getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
print("spark_version\t" + spark.version, flush=True)

# The CSV as tsad score reads it: ISO-8601 times, one column per feature.
raw = spark.read.option("header", "true").option("inferSchema", "false").csv(csv)
features = [c for c in raw.columns if c not in ("slice_id", "time")]
values = ", ".join("CAST(%s AS DOUBLE) AS %s" % (f, f) for f in features)
raw.createOrReplaceTempView("raw")
spark.sql("CREATE TABLE readings USING parquet AS SELECT slice_id, CAST(time AS TIMESTAMP) AS ts_time, "
          "unix_millis(CAST(time AS TIMESTAMP)) AS ts_ms, " + values + " FROM raw")
spark.sql("CREATE TEMPORARY FUNCTION score_anomaly AS 'tsad.hive.ScoreAnomalyUDF' USING JAR '%s'" % jar)
spark.sql("CREATE TEMPORARY FUNCTION anomaly_detail AS 'tsad.hive.AnomalyDetailUDTF' USING JAR '%s'" % jar)
fields = ", ".join("'%s', %s" % (f, f) for f in features)


def emit(query, rows):
    for r in rows:
        print("%s\t%s\t%r" % (query, r[0], None if r[1] is None else float(r[1])), flush=True)


for time_col in ("ts_ms", "ts_time"):
    series = "collect_list(named_struct('ts', %s, %s))" % (time_col, fields)
    # The README's GROUP BY query.
    emit("group_" + time_col, spark.sql(
        "SELECT slice_id, s.score FROM (SELECT slice_id, score_anomaly('%s', %s) AS s FROM readings "
        "GROUP BY slice_id) x" % (model_dir, series)).collect())
    # anomaly_detail: the mean step error of a slice-mode model is the slice's score.
    emit("detail_" + time_col, spark.sql(
        "SELECT r.slice_id, avg(d.error) FROM (SELECT slice_id, %s AS series FROM readings GROUP BY slice_id) r "
        "LATERAL VIEW anomaly_detail('%s', r.series) d GROUP BY r.slice_id" % (series, model_dir)).collect())

# MLflow: one row per slice with array cells, in time order, named as the bundle's columns.
arrays = ", ".join("transform(p, x -> x.%s) AS %s" % (f, f) for f in features)
per_slice = spark.sql("SELECT slice_id, transform(p, x -> x.time) AS time, %s FROM (SELECT slice_id, "
                      "sort_array(collect_list(struct(time, %s))) AS p FROM raw GROUP BY slice_id)"
                      % (arrays, ", ".join("CAST(%s AS DOUBLE) AS %s" % (f, f) for f in features)))
udf = mlflow.pyfunc.spark_udf(spark, model_dir, env_manager="local",
                              result_type="slice_id string, score double, threshold double, is_anomaly boolean")
from pyspark.sql.functions import col, struct
cols = ["slice_id", "time"] + features
scored = per_slice.select(udf(struct(*[col(c) for c in cols])).alias("r")).select("r.slice_id", "r.score")
emit("spark_udf", scored.collect())

_model = {}


def score_group(pdf):
    # The loaded model does not pickle (protobuf descriptors): each Python worker loads it once, on first use.
    if "m" not in _model:
        _model["m"] = mlflow.pyfunc.load_model(model_dir)
    return _model["m"].predict(pdf)[["slice_id", "score"]]


long_rows = spark.sql("SELECT slice_id, time, %s FROM raw" % ", ".join("CAST(%s AS DOUBLE) AS %s" % (f, f)
                                                                       for f in features))
emit("apply_in_pandas", long_rows.groupBy("slice_id").applyInPandas(
    score_group, "slice_id string, score double").collect())
spark.stop()

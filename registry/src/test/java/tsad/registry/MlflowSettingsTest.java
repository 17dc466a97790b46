package tsad.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;

/** Settings from options and the environment: credentials, secrets kept out of every text, the time bound. */
class MlflowSettingsTest {
  @Test
  void readsTheStandardVariablesAndNeverPrintsSecrets() {
    MlflowSettings s = MlflowSettings.fromEnv(null, Map.of("MLFLOW_TRACKING_URI", "https://ml.example:5000/",
        "MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", "s3cret", "MLFLOW_TRACKING_INSECURE_TLS", "true"));
    assertEquals("https://ml.example:5000", s.trackingUri());
    assertTrue(s.insecureTls());
    assertTrue(s.authorization().startsWith("Basic "));
    assertFalse(s.toString().contains("s3cret"), s.toString());
    MlflowSettings t = MlflowSettings.fromEnv("http://127.0.0.1:1", Map.of("MLFLOW_TRACKING_TOKEN", "tok-123"));
    assertEquals("Bearer tok-123", t.authorization());
    assertFalse(t.toString().contains("tok-123"), t.toString());
    assertEquals("http://127.0.0.1:1", t.trackingUri(), "the option wins over the environment");
  }

  @Test
  void missingOrOddUrisFailClearly() {
    assertTrue(assertThrows(DataException.class, () -> MlflowSettings.fromEnv(null, Map.of())).getMessage()
        .contains("MLFLOW_TRACKING_URI"));
    assertTrue(assertThrows(DataException.class, () -> MlflowSettings.fromEnv("ftp://x", Map.of())).getMessage()
        .contains("MLflow tracking URI must be http:// or https://, got ftp://x"));
  }

  @Test
  void credentialsInTheUriBecomeBasicAuthAndAreNeverShown() {
    MlflowSettings s = MlflowSettings.fromEnv("http://alice:s3cr%40t+pw@ml.example:5000/", Map.of());
    assertEquals("http://ml.example:5000", s.trackingUri());
    assertEquals("alice", s.username());
    assertEquals("s3cr@t+pw", s.password());
    assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cr@t+pw".getBytes(
        java.nio.charset.StandardCharsets.UTF_8)), s.authorization());
    assertFalse(s.toString().contains("s3cr"), s.toString());
    // the environment's credentials win, as with MLflow's Python client
    MlflowSettings env = MlflowSettings.fromEnv("https://bob:x@ml.example", Map.of("MLFLOW_TRACKING_TOKEN", "t"));
    assertEquals("Bearer t", env.authorization());
    assertEquals("https://ml.example", env.trackingUri());
    DataException bad = assertThrows(DataException.class, () -> MlflowSettings.fromEnv("http://alice:s3cret@bad^host",
        Map.of()));
    assertEquals("MLflow tracking URI http://***@bad^host is not a valid URI", bad.getMessage());
    DataException ftp = assertThrows(DataException.class, () -> MlflowSettings.fromEnv("ftp://alice:s3cret@h",
        Map.of()));
    assertFalse(ftp.getMessage().contains("s3cret"), ftp.getMessage());
    assertEquals("see http://***@h/x and https://***@k", MlflowSettings.redact("see http://u:p@h/x and https://q@k"));
  }

  @Test
  void oneCallIsBoundedTo30SecondsUnlessConfigured() {
    assertEquals(30_000, MlflowSettings.fromEnv("http://h", Map.of()).timeoutMillis());
    assertEquals(2_500, MlflowSettings.fromEnv("http://h", Map.of("TSAD_MLFLOW_TIMEOUT", "2.5")).timeoutMillis());
    for (String bad : new String[] {"0", "-1", "soon", "NaN", "1e9"}) {
      DataException e = assertThrows(DataException.class, () -> MlflowSettings.fromEnv("http://h",
          Map.of("TSAD_MLFLOW_TIMEOUT", bad)));
      assertEquals("TSAD_MLFLOW_TIMEOUT must be a number of seconds > 0 (at most 86400), got '" + bad + "'",
          e.getMessage());
    }
  }
}

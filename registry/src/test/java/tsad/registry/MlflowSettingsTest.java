package tsad.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tsad.core.data.DataException;

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
}

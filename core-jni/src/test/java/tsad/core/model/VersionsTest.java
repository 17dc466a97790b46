package tsad.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tsad.core.train.TrainPipeline;

class VersionsTest {
  @Test
  void provenanceRecordsTheCommitTsadWasBuiltFrom() {
    // The build bakes it in; this test runs in the project's own checkout, so it is a commit id.
    assertTrue(Versions.COMMIT.matches("[0-9a-f]{40}(-dirty)?"), Versions.COMMIT);
    assertEquals(Versions.COMMIT, TrainPipeline.gitCommit());
  }
}

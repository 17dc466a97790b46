package tsad.core.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.InputArchive;
import tsad.core.io.AtomicFiles;
import tsad.core.io.Sha256Sums;
import tsad.core.model.Archives;
import tsad.core.model.Autoencoder;
import tsad.core.window.Window;
import tsad.proto.TrainCheckpoint;
import tsad.proto.TrainConfig;

/**
 * The per-epoch checkpoint of a training run, for {@code --resume}: the state ({@code state-N.pb}), the weights
 * ({@code model-N.pt}), the optimizer ({@code optimizer-N.pt}) and the best weights so far ({@code best-M.pt}), and
 * their seal {@code checkpoint.sha256}. The seal is written last and names the files of the last complete epoch, so
 * a crash while an epoch is saved leaves the previous checkpoint whole; resuming verifies every file against it, as
 * a bundle is verified, and loads the weights only when they are exactly the model's tensors.
 */
final class Checkpoints {
  /** The seal, in {@code sha256sum} format: the checkpoint's table of contents. */
  static final String SEAL = "checkpoint.sha256";
  private static final Pattern FILE = Pattern.compile("(state|model|optimizer|best)-(\\d+)\\.(pb|pt)");
  private static final String RESTART = "; train without --resume to start again";

  private Checkpoints() {}

  /** sha256 of the training windows (ids and values' bits): resume refuses other data. */
  static String fingerprint(List<Window> train, List<Window> val) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ByteBuffer buf = ByteBuffer.allocate(0);
      for (List<Window> part : List.of(train, val)) {
        for (Window w : part) {
          md.update(w.id().getBytes(StandardCharsets.UTF_8));
          // The values' bits, big-endian, a window per update: the same digest as four bytes at a time, so
          // every checkpoint written with that digest still resumes, at a fraction of the cost.
          int n = w.steps() * w.features();
          if (buf.capacity() < 4 * n) {
            buf = ByteBuffer.allocate(4 * n);
          }
          buf.clear();
          for (int k = 0; k < n; k++) {
            buf.putInt(Float.floatToIntBits(w.value(k)));
          }
          md.update(buf.array(), 0, 4 * n);
        }
        md.update((byte) '|');
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Saves epoch {@code cp.getEpoch()}; {@code improved} makes its weights the best ones. */
  static void save(Path dir, Autoencoder model, Adam adam, TrainCheckpoint cp, boolean improved) {
    try {
      Files.createDirectories(dir);
      int e = cp.getEpoch();
      Map<String, byte[]> files = new LinkedHashMap<>();
      files.put("state-" + e + ".pb", cp.toByteArray());
      // Serialized in memory and written by Java: a full disk is an exception here, never a native abort (Archives).
      files.put("model-" + e + ".pt", Archives.toBytes(model::save));
      files.put("optimizer-" + e + ".pt", Archives.toBytes(adam::save));
      if (improved) {
        files.put("best-" + e + ".pt", files.get("model-" + e + ".pt"));
      }
      Map<Path, byte[]> epochFiles = new LinkedHashMap<>();
      files.forEach((name, bytes) -> epochFiles.put(dir.resolve(name), bytes));
      AtomicFiles.writeAll(epochFiles);
      if (!improved) {
        Map.Entry<String, byte[]> best = best(dir);   // kept as it is
        if (best != null) {
          files.put(best.getKey(), best.getValue());
        }
      }
      // The seal last: until it is in place, the previous epoch's files and seal are the checkpoint.
      AtomicFiles.writeAll(Map.of(dir.resolve(SEAL), Sha256Sums.of(files).toBytes()));
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          String n = p.getFileName().toString();
          if (!n.equals(SEAL) && !files.containsKey(n)) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new TrainingException("cannot write checkpoint in " + dir + ": " + AtomicFiles.reason(e));
    }
  }

  /**
   * Verifies the checkpoint in {@code dir} against its seal, checks that it is this run's (model spec, data, seed,
   * batch size), and loads its weights and optimizer state.
   */
  static TrainCheckpoint load(Path dir, Autoencoder model, Adam adam, TrainConfig cfg, String fingerprint) {
    Map<String, byte[]> files = verified(dir);
    TrainCheckpoint cp;
    try {
      cp = TrainCheckpoint.parseFrom(files.get("state"));
    } catch (IOException e) {
      throw new TrainingException("--resume: the checkpoint state in " + dir + " is not valid protobuf" + RESTART);
    }
    if (!cp.getModel().equals(model.spec())) {
      throw new TrainingException("--resume: the checkpoint in " + dir + " is for another model spec");
    }
    if (!cp.getDataFingerprint().equals(fingerprint)) {
      throw new TrainingException("--resume: the checkpoint in " + dir + " was made from other training data");
    }
    if (cp.getConfig().getSeed() != cfg.getSeed() || cp.getConfig().getBatchSize() != cfg.getBatchSize()) {
      throw new TrainingException("--resume: seed and batch size must match the interrupted run ("
          + cp.getConfig().getSeed() + ", " + cp.getConfig().getBatchSize() + ")");
    }
    loadWeights(dir, model, files.get("model"));
    try (BytePointer b = new BytePointer(files.get("optimizer")); InputArchive a = new InputArchive()) {
      a.load_from(b, files.get("optimizer").length);
      adam.load(a);
    } catch (RuntimeException e) {
      throw new TrainingException("--resume: cannot load the optimizer state in " + dir + ": " + e.getMessage()
          + RESTART);
    }
    return cp;
  }

  /** Loads the best weights of the run into {@code model}, verified against the seal. */
  static void loadBest(Path dir, Autoencoder model) {
    byte[] best = verified(dir).get("best");
    if (best == null) {
      throw new TrainingException("the checkpoint in " + dir + " has no best weights");
    }
    loadWeights(dir, model, best);
  }

  private static void loadWeights(Path dir, Autoencoder model, byte[] weights) {
    try (BytePointer b = new BytePointer(weights); InputArchive a = new InputArchive()) {
      a.load_from(b, weights.length);
      List<String> misfits = Archives.misfits(model, a, 4);
      if (!misfits.isEmpty()) {
        throw new TrainingException("--resume: the weights in " + dir + " do not fit the model ("
            + String.join("; ", misfits) + ")" + RESTART);
      }
      model.load(a);
    } catch (TrainingException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TrainingException("--resume: cannot load the weights in " + dir + ": " + e.getMessage() + RESTART);
    }
  }

  /** The files the seal names, by role (state, model, optimizer, best), each verified against it. */
  private static Map<String, byte[]> verified(Path dir) {
    Path sealPath = dir.resolve(SEAL);
    byte[] sealBytes;
    try {
      sealBytes = Files.readAllBytes(sealPath);
    } catch (NoSuchFileException e) {
      throw new TrainingException(Files.exists(dir.resolve("state.pb"))
          ? "--resume: the checkpoint in " + dir + " was written by an older tsad and has no seal (" + SEAL
              + "), so it cannot be verified" + RESTART
          : "--resume: no checkpoint found in " + dir + " (train without --resume first)");
    } catch (IOException e) {
      throw new TrainingException("--resume: cannot read " + sealPath + ": " + e.getMessage());
    }
    Sha256Sums seal;
    try {
      seal = Sha256Sums.parse(sealBytes);
    } catch (IllegalArgumentException e) {
      throw new TrainingException("--resume: " + sealPath + " is corrupt (" + e.getMessage() + ")" + RESTART);
    }
    Map<String, byte[]> byRole = new LinkedHashMap<>();
    for (String name : seal.sums().keySet()) {
      Matcher m = FILE.matcher(name);
      String role = m.matches() ? m.group(1) : null;
      if (role == null || byRole.containsKey(role) || !m.group(3).equals(role.equals("state") ? "pb" : "pt")) {
        throw new TrainingException("--resume: " + sealPath + " names '" + name + "', which is not one of a "
            + "checkpoint's files" + RESTART);
      }
      byte[] b;
      try {
        b = Files.readAllBytes(dir.resolve(name));
      } catch (NoSuchFileException e) {
        throw new TrainingException("--resume: the checkpoint in " + dir + " is incomplete: " + name + " is missing"
            + RESTART);
      } catch (IOException e) {
        throw new TrainingException("--resume: cannot read " + dir.resolve(name) + ": " + e.getMessage());
      }
      String why = seal.mismatch(name, b);
      if (why != null) {
        throw new TrainingException("--resume: " + dir.resolve(name) + " does not match its sha256 in " + SEAL + " ("
            + why + "): the checkpoint was modified or damaged" + RESTART);
      }
      byRole.put(role, b);
    }
    for (String role : List.of("state", "model", "optimizer")) {
      if (!byRole.containsKey(role)) {
        throw new TrainingException("--resume: " + sealPath + " lists no " + role + " file" + RESTART);
      }
    }
    return byRole;
  }

  /** The best weights the current seal names, or null (none yet, or no checkpoint). */
  private static Map.Entry<String, byte[]> best(Path dir) throws IOException {
    if (!Files.exists(dir.resolve(SEAL))) {
      return null;
    }
    byte[] best = verified(dir).get("best");
    if (best == null) {
      return null;
    }
    String name = Sha256Sums.parse(Files.readAllBytes(dir.resolve(SEAL))).sums().keySet().stream()
        .filter(n -> n.startsWith("best-")).findFirst().orElseThrow();
    return Map.entry(name, best);
  }
}

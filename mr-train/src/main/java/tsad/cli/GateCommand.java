package tsad.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tsad.core.bundle.Compatibility;
import tsad.core.bundle.ModelBundle;
import tsad.core.data.DataException;
import tsad.core.model.TorchRuntime;
import tsad.core.train.Gate;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;
import tsad.registry.ModelUri;
import tsad.registry.ModelVersionInfo;

/**
 * {@code tsad models gate}: the promotion gate as its own step. Compares a candidate version with the
 * current holder of an alias on the same windows, with the measure {@code train --init-from} uses: mean
 * squared reconstruction error in the candidate's scaler units, on the held-out split made with the
 * candidate's own seed and validation fraction (so on its training data these are exactly the windows it
 * never trained on). It only decides and records; {@code models promote} moves the alias.
 */
@Command(name = "gate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Decide whether candidate VERSION may replace the holder of --alias: it passes when its held-out",
        "reconstruction error is at most (1 + --margin) x the holder's on the same windows, or when no version",
        "holds the alias yet. Prints the decision, tags the version, exits 0 either way; under Oozie",
        "(capture-output) writes gate_passed=true|false. Does not move the alias: use 'models promote'."})
final class GateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "MODEL")
  String name;

  @Parameters(index = "1", paramLabel = "VERSION", description = "Candidate version.")
  String version;

  @Option(names = "--alias", defaultValue = "champion", description = "Alias whose holder the candidate must match. Default: ${DEFAULT-VALUE}.")
  String alias;

  @Mixin
  ModelData data;

  @Option(names = "--margin", defaultValue = "0.05",
      description = "Allowed relative worsening against the holder. Default: ${DEFAULT-VALUE}.")
  double margin;

  @Option(names = "--threads", description = "libtorch threads. Default: number of cores.")
  Integer threads;

  @Mixin
  RegistryMixin registry;

  @Override
  public Integer call() {
    if (!(margin >= 0)) {
      throw new DataException("--margin must be >= 0, got " + margin);
    }
    data.requireOne();
    TorchRuntime.threads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
    ModelResolver.Resolved candidate = registry.resolve(ModelUri.of(name, version));
    ModelVersionInfo holder;
    try (ModelRegistry reg = new ModelRegistry(registry.settings())) {
      holder = reg.versions(name).stream().filter(v -> v.aliases().contains(alias)).findFirst().orElse(null);
      Map<String, String> out = new LinkedHashMap<>();
      out.put("candidate_version", candidate.version());
      String decision;
      boolean passed;
      if (holder == null || holder.version().equals(candidate.version())) {
        passed = true;
        decision = holder == null ? "has no rival: no version holds @" + alias + " yet" : "already holds @" + alias;
        out.put("champion_version", holder == null ? "" : holder.version());
      } else {
        ModelBundle champion = registry.resolve(ModelUri.of(name, holder.version())).bundle();
        ModelBundle cand = candidate.bundle();
        try {
          Compatibility.of(cand).requireSameInput(champion);
        } catch (Compatibility.Mismatch e) {
          throw new DataException("cannot compare version " + candidate.version() + " with @" + alias + " (version "
              + holder.version() + "): " + e.getMessage());
        }
        Gate.HeldOut held = Gate.heldOut(cand, data.load(cand).windows());
        String on = held.windows().size() + (held.all() ? " windows (the candidate held none out)"
            : " held-out windows");
        Gate gate = Gate.compare(champion, cand, held.windows());
        passed = gate.passes(margin);
        decision = String.format(Locale.ROOT, "has error %.6g vs @%s (version %s) %.6g on %s, margin %.0f%%",
            gate.newError(), alias, holder.version(), gate.parentError(), on, 100 * margin);
        out.put("champion_version", holder.version());
        out.put("candidate_error", String.format(Locale.ROOT, "%.6g", gate.newError()));
        out.put("champion_error", String.format(Locale.ROOT, "%.6g", gate.parentError()));
      }
      String line = "gate " + (passed ? "passed" : "failed") + ": version " + candidate.version() + " " + decision;
      reg.setVersionTag(name, candidate.version(), "tsad.gate." + alias, line);
      out.put("gate_passed", Boolean.toString(passed));
      ActionOutput.write(out);
      System.out.println(line + (passed ? "; promote with: tsad models promote " + name + " " + candidate.version()
          + " --alias " + alias : "; @" + alias + " stays where it is"));
    }
    return 0;
  }
}

package tsad.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tsad.registry.AliasHistory;
import tsad.registry.ModelRegistry;
import tsad.registry.ModelResolver;
import tsad.registry.ModelUri;
import tsad.registry.ModelVersionInfo;

/** {@code tsad models list|promote|rollback|gate|download}: the model registry from the command line. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List, promote, roll back, gate and download registered models.",
    subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class,
        GateCommand.class, ModelsCommand.Download.class})
public final class ModelsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Lists a model's versions with stage, aliases, status and source run. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the versions of a registered model.")
  static final class ListVersions implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "Registered model name.")
    String name;

    @Mixin
    RegistryMixin registry;

    @Override
    public Integer call() {
      try (ModelRegistry reg = new ModelRegistry(registry.settings())) {
        List<ModelVersionInfo> versions = reg.versions(name);
        System.out.printf("%-8s %-11s %-20s %-8s %-33s %s%n", "VERSION", "STAGE", "ALIASES", "STATUS", "RUN",
            "CREATED");
        for (ModelVersionInfo v : versions) {
          System.out.printf("%-8s %-11s %-20s %-8s %-33s %s%n", v.version(), v.stage(),
              v.aliases().isEmpty() ? "-" : "@" + String.join(" @", v.aliases()), v.status(), v.runId(),
              Instant.ofEpochMilli(v.createdMs()));
        }
        if (versions.isEmpty()) {
          System.out.println("(no versions)");
        }
        for (String alias : versions.stream().flatMap(v -> v.aliases().stream()).sorted().toList()) {
          List<String> history = reg.aliasHistory(name, alias);
          if (!history.isEmpty()) {
            System.out.printf("@%s held by versions %s (oldest first; 'models rollback' steps back)%n", alias,
                String.join(" -> ", history));
          }
        }
      }
      return 0;
    }
  }

  /** Points an alias at a version or moves it to a stage. */
  @Command(name = "promote", mixinStandardHelpOptions = true,
      description = "Point an alias at a version (--alias) or move it to a stage (--stage).")
  static final class Promote implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION")
    String version;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
      @Option(names = "--alias", paramLabel = "ALIAS", description = "Alias to set, e.g. champion.")
      String alias;

      @Option(names = "--stage", paramLabel = "STAGE", description = "Staging, Production, Archived or None.")
      String stage;
    }

    @Option(names = "--archive-existing", description = "With --stage: archive the versions now in that stage.")
    boolean archiveExisting;

    @Mixin
    RegistryMixin registry;

    @Override
    public Integer call() {
      try (ModelRegistry reg = new ModelRegistry(registry.settings())) {
        ModelVersionInfo v = reg.resolve(ModelUri.parse(ModelUri.of(name, version)));
        if (target.alias != null) {
          String now = reg.setAlias(name, target.alias, v.version());
          System.out.printf("models:/%s@%s -> version %s%s%n", name, target.alias, v.version(),
              now.equals(v.version()) ? "" : " (then version " + now + ", promoted at the same time)");
        } else {
          String stage = ModelUri.stage(target.stage);
          reg.transitionStage(name, v.version(), stage, archiveExisting);
          System.out.printf("models:/%s/%s -> version %s%s%n", name, stage, v.version(),
              archiveExisting ? " (previous holders archived)" : "");
        }
      }
      return 0;
    }
  }

  /** Moves an alias back to the version that held it before (from the history tsad records). */
  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Move an alias back to its previous holder, as recorded by tsad whenever it moves an alias.")
  static final class Rollback implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    String name;

    @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "Alias to move back, e.g. champion.")
    String alias;

    @Mixin
    RegistryMixin registry;

    @Override
    public Integer call() {
      try (ModelRegistry reg = new ModelRegistry(registry.settings())) {
        AliasHistory.Rollback r = reg.rollbackAlias(name, alias);
        System.out.printf("models:/%s@%s -> version %s (rolled back from version %s)%n", name, alias, r.to(), r.from());
      }
      return 0;
    }
  }

  /** Downloads and verifies a model into a directory. */
  @Command(name = "download", mixinStandardHelpOptions = true,
      description = "Download a model (models:/... URI or bundle path) into DIR, verifying every file.")
  static final class Download implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "URI")
    String uri;

    @Parameters(index = "1", paramLabel = "DIR")
    Path dir;

    @Mixin
    RegistryMixin registry;

    @Override
    public Integer call() {
      ModelResolver.Resolved r = registry.resolver().downloadTo(uri, dir);
      System.out.printf("%s%s -> %s (sha256 %s)%n", uri, r.version().isEmpty() ? "" : " (version " + r.version() + ")",
          dir, r.bundle().contentHash());
      return 0;
    }
  }
}

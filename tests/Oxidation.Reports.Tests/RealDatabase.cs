using Oxidation.Cli.Tests;

namespace Oxidation.Reports.Tests;

/// <summary>
/// One database for the tests that need real data, built as a user builds it: Debian's 6.1 and 6.12 tarballs
/// scanned and the kernel CNA snapshot imported, through the command line.
/// </summary>
public sealed class RealDatabase : IDisposable
{
    public const string Tree61 = "/usr/src/linux-source-6.1.tar.xz";
    public const string Tree612 = "/usr/src/linux-source-6.12.tar.xz";

    public RealDatabase()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "oxidation-report-tests-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        Path = System.IO.Path.Combine(Directory, "real.duckdb");
        foreach (var args in new[] { new[] { "scan", Tree61 }, ["scan", Tree612], ["cves", "import", CliRunner.Snapshot()] })
        {
            var (exit, _, error) = CliRunner.Run(Directory, ["--db", Path, .. args]);
            if (exit != 0)
                throw new InvalidOperationException($"oxidation {string.Join(' ', args)} failed ({exit}): {error}");
        }
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition("real database")]
public sealed class RealDatabaseCollection : ICollectionFixture<RealDatabase>;

/// <summary>Golden files (tests/Oxidation.Reports.Tests/Golden): compared whole, rewritten with UPDATE_GOLDEN=1.</summary>
internal static class Golden
{
    public static string SourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Oxidation.Reports.Tests");
            if (System.IO.Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("tests/Oxidation.Reports.Tests not found above " + AppContext.BaseDirectory);
    }

    public static string RepositoryRoot() => Path.GetFullPath(Path.Combine(SourceDirectory(), "..", ".."));

    public static void Assert(string name, string actual)
    {
        var path = Path.Combine(SourceDirectory(), "Golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        var expected = File.ReadAllText(path);
        if (expected == actual)
            return;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = 0;
        while (line < e.Length && line < a.Length && e[line] == a[line])
            line++;
        Xunit.Assert.Fail($"{name} differs from Golden/{name} at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "(end)")}\n  actual:   {(line < a.Length ? a[line] : "(end)")}\n" +
            "If the change is intended (or Debian's linux-source packages moved to a new point release), rewrite with UPDATE_GOLDEN=1 and review the diff.");
    }
}

using Oxidation.Cves;

namespace Oxidation.Tests.Cves;

/// <summary>The kernel CNA snapshot of 2026-08-21 (../shared/data beside the checkout), read once per test run.</summary>
public static class CveSnapshot
{
    public const string FileName = "kernel-cna-cves-2026-08-21.tar.xz";

    public static string Path { get; } = Locate();

    private static readonly Lazy<CveReadResult> Read = new(() => CveReader.Read(Path));

    private static readonly Lazy<Dictionary<string, CveRecord>> Index = new(() => Result.Records.ToDictionary(r => r.Id));

    public static CveReadResult Result => Read.Value;

    public static IReadOnlyDictionary<string, CveRecord> ById => Index.Value;

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("OXIDATION_CVE_SNAPSHOT");
        if (fromEnvironment is not null)
            return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data", FileName);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"{FileName} not found in shared/data beside any parent of {AppContext.BaseDirectory}; set OXIDATION_CVE_SNAPSHOT");
    }
}

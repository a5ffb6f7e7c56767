using Oxidation.Cves;

namespace Oxidation.Learning.Tests;

/// <summary>The kernel CNA snapshot of 2026-08-21 and the label files, found as tests/Oxidation.Tests/Cves/CveSnapshot.cs finds them; read once.</summary>
public static class Snapshot
{
    public const string FileName = "kernel-cna-cves-2026-08-21.tar.xz";

    private static readonly Lazy<CveReadResult> Read = new(() => CveReader.Read(Locate()));

    private static readonly Lazy<Dictionary<string, CveRecord>> Index = new(() => Read.Value.Records.ToDictionary(r => r.Id));

    private static readonly Lazy<IReadOnlyList<LabelledCve>> GoldLabels = new(() => TrainingData.Join(TrainingData.ReadLabels(EarlierLabels, [.. TrainingData.LabelFiles(LabelsDirectory)]), ById));

    public static IReadOnlyList<CveRecord> Records => Read.Value.Records;

    public static IReadOnlyDictionary<string, CveRecord> ById => Index.Value;

    public static string EarlierLabels => Path.Combine(AppContext.BaseDirectory, "cve-labels", "cve-labels.tsv");

    public static string LabelsV1 => Path.Combine(AppContext.BaseDirectory, "cve-labels", "labels-v1.tsv");

    /// <summary>Labels v3: 240 records, all held out, scored once on 2026-12-03 (data/cve-labels/holdout-score-v3.md).</summary>
    public static string LabelsV3 => Path.Combine(AppContext.BaseDirectory, "cve-labels", "labels-v3.tsv");

    public static string LabelsDirectory => Path.Combine(AppContext.BaseDirectory, "cve-labels");

    /// <summary>The ids silver data must leave out, as the trainer reserves them: the earlier labels and every sample file.</summary>
    public static IReadOnlySet<string> Reserved => TrainingData.ReservedIds([EarlierLabels, .. TrainingData.SampleFiles(LabelsDirectory)]);

    public static string SampleV1 => Path.Combine(AppContext.BaseDirectory, "cve-labels", "sample-v1.tsv");

    public static string SampleV3 => Path.Combine(AppContext.BaseDirectory, "cve-labels", "sample-v3.tsv");

    /// <summary>Sample v4: 480 records, 240 held out (not yet scored when drawn) and 240 for training.</summary>
    public static string SampleV4 => Path.Combine(AppContext.BaseDirectory, "cve-labels", "sample-v4.tsv");

    /// <summary>Labels v5: 240 records, all held out, scored once on 2026-12-03 18:07 UTC (data/cve-labels/holdout-score-v5.md).</summary>
    public static string LabelsV5 => Path.Combine(AppContext.BaseDirectory, "cve-labels", "labels-v5.tsv");

    /// <summary>Labels v4: the 480 records of sample v4.</summary>
    public static string LabelsV4 => Path.Combine(AppContext.BaseDirectory, "cve-labels", "labels-v4.tsv");

    public static string CommittedModel => Path.Combine(AppContext.BaseDirectory, "cve-model", "model.zip");

    /// <summary>The 1690 gold training labels (150 earlier, the rows of labels-v* that CveLabels.Trains) joined with their records.</summary>
    public static IReadOnlyList<LabelledCve> Gold => GoldLabels.Value;

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("OXIDATION_CVE_SNAPSHOT");
        if (fromEnvironment is not null)
            return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", FileName);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"{FileName} not found in shared/data beside any parent of {AppContext.BaseDirectory}; set OXIDATION_CVE_SNAPSHOT");
    }
}

using Oxidation.Cves;

namespace Oxidation.Tests.Cves;

/// <summary>The hand-label files: what is read, and every way a typo is refused with its file and line.</summary>
public sealed class CveLabelsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oxidation-labels-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, "labels.tsv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Reads_every_column_and_treats_a_dash_as_absent()
    {
        var path = Write("# comment", "id\tset\tclass\talt\trule\tlabeller\tnote",
            "CVE-2024-12345\tholdout\tout-of-bounds\tinteger\tR1\tA\t\"overflow … writes past the buffer\"",
            "CVE-2025-0001\ttrain\tlogic\t-\t-\tB\t");
        var labels = CveLabels.Read(path);
        Assert.Equal(2, labels.Count);
        Assert.Equal(new CveLabel("CVE-2024-12345", "holdout", "out-of-bounds", "integer", "R1", "A", "\"overflow … writes past the buffer\""), labels[0]);
        Assert.Null(labels[1].Alternative);
        Assert.Null(labels[1].Rule);
    }

    [Fact]
    public void A_labels_file_with_an_unknown_class_is_an_error_naming_file_and_line()
    {
        var path = Write("id\tclass", "CVE-2024-12345\tlogic", "CVE-2024-12346\tuse-after-fre");
        var ex = Assert.Throws<CveLabelsException>(() => CveLabels.Read(path));
        Assert.StartsWith($"{path}:3: CVE-2024-12346: unknown class 'use-after-fre'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_labels_file_with_a_duplicate_id_is_an_error_naming_both_lines()
    {
        var path = Write("id\tclass", "CVE-2024-12345\tlogic", "# a comment line counts", "CVE-2024-12345\tother");
        var ex = Assert.Throws<CveLabelsException>(() => CveLabels.Read(path));
        Assert.Equal($"{path}:4: CVE-2024-12345 is labelled twice (first on line 2)", ex.Message);
    }

    [Theory]
    [InlineData("CVE-24-1\tlogic", "'CVE-24-1' is not a CVE id (CVE-YYYY-N)")]
    [InlineData("CVE-2024-12345", "1 fields, the header names 2")]
    [InlineData("CVE-2024-12345\tlogic\tnot-a-class", "3 fields, the header names 2")]
    public void Malformed_lines_are_errors_naming_the_line(string line, string reason)
    {
        var path = Write("id\tclass", line);
        var ex = Assert.Throws<CveLabelsException>(() => CveLabels.Read(path));
        Assert.Equal($"{path}:2: {reason}", ex.Message);
    }

    [Fact]
    public void A_file_without_a_header_is_refused()
    {
        var path = Write("# only comments", "CVE-2024-12345\tlogic");
        var ex = Assert.Throws<CveLabelsException>(() => CveLabels.Read(path));
        Assert.Equal($"{path}:2: the header line must name the columns id and class (tab-separated)", ex.Message);
    }

    [Fact]
    public void The_150_earlier_labels_read_through_the_same_reader()
    {
        var labels = CveLabels.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cve-labels.tsv"));
        Assert.Equal(150, labels.Count);
        Assert.Equal(100, labels.Count(l => l.Set == "tune"));
        Assert.Equal("out-of-bounds", labels.Single(l => l.Id == "CVE-2021-47347").Class);
    }

    private static string Labels(string name) => Path.Combine(AppContext.BaseDirectory, "cve-labels", name);

    [Fact]
    public void The_660_labels_of_sample_v1_cover_the_sample_exactly_with_220_held_out()
    {
        var sample = File.ReadLines(Labels("sample-v1.tsv")).Where(l => l.StartsWith("CVE-", StringComparison.Ordinal)).Select(l => l.Split('\t')).ToList();
        var labels = CveLabels.Read(Labels("labels-v1.tsv"));
        Assert.Equal(660, labels.Count);
        Assert.Equal(sample.Select(s => s[0]), labels.Select(l => l.Id));
        Assert.Equal(sample.Select(s => s[2]), labels.Select(l => l.Set));
        Assert.Equal(220, labels.Count(l => l.Set == "holdout"));
        Assert.Equal(330, labels.Count(l => l.Labeller == "A"));
        Assert.Empty(labels.Select(l => l.Id).Intersect(CveLabels.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "cve-labels.tsv")).Select(l => l.Id)));
        // Read by hand when the labels were committed: CVE-2022-49801 "tracing: Fix memory leak in tracing_read_pipe()", kmemleak report.
        Assert.Equal("memory-leak", labels.Single(l => l.Id == "CVE-2022-49801").Class);
    }

    [Fact]
    public void The_second_reading_covers_the_120_marked_records_and_agrees_on_118()
    {
        var first = CveLabels.Read(Labels("labels-v1.tsv")).ToDictionary(l => l.Id);
        var second = CveLabels.Read(Labels("second-reading-v1.tsv"));
        var marked = File.ReadLines(Labels("sample-v1.tsv")).Where(l => l.EndsWith("\tyes", StringComparison.Ordinal)).Select(l => l.Split('\t')[0]);
        Assert.Equal(marked.Order(), second.Select(l => l.Id).Order());
        Assert.Equal(118, second.Count(s => first[s.Id].Class == s.Class));
    }
}

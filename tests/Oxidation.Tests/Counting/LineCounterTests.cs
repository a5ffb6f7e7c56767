using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Oxidation.Counting;
using Oxidation.Languages;

namespace Oxidation.Tests.Counting;

public sealed partial class LineCounterTests
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "languages");

    [GeneratedRegex(@"(?<lines>\d+) lines (?<code>\d+) code (?<comment>\d+) comments (?<blank>\d+) blanks")]
    private static partial Regex Expectation();

    public static TheoryData<string> Fixtures() => [.. Directory.GetFiles(FixtureDirectory).Select(f => Path.GetFileName(f)).Order()];

    /// <summary>Each fixture states its own counts in its first line; they were checked with cloc 1.96
    /// (all but rust.rs, Kconfig and tree.dts, which cloc counts differently or not at all: see docs/counting.md).</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_counts_match_its_first_line(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(FixtureDirectory, name));
        var first = Encoding.UTF8.GetString(bytes).Split('\n')[0];
        var m = Expectation().Match(first);
        Assert.True(m.Success, $"{name}: first line states no expectation");
        var language = LanguageCatalog.Default.Classify(name, bytes);
        Assert.False(language.IsOther, $"{name}: no language");
        var stats = LineCounter.Count(bytes, language);
        Assert.Equal(
            (long.Parse(m.Groups["lines"].Value), long.Parse(m.Groups["code"].Value), long.Parse(m.Groups["comment"].Value), long.Parse(m.Groups["blank"].Value)),
            (stats.Lines, stats.Code, stats.Comment, stats.Blank));
    }

    [Fact]
    public void Every_language_the_kernel_is_mostly_written_in_has_a_fixture()
    {
        var covered = Directory.GetFiles(FixtureDirectory)
            .Select(f => LanguageCatalog.Default.Classify(Path.GetFileName(f), File.ReadAllBytes(f)).Name)
            .ToHashSet();
        string[] required = ["C", "C/C++ Header", "Rust", "Assembly", "make", "Kconfig", "Bourne Shell", "Python", "Device Tree", "YAML", "Perl"];
        Assert.All(required, r => Assert.Contains(r, covered));
    }

    [Fact]
    public void Any_bytes_in_any_language_count_without_throwing_and_add_up_to_the_lines()
    {
        var languages = LanguageCatalog.Default.Languages.Append(LanguageCatalog.Default.Other).ToArray();
        // Bytes biased towards the characters that drive the state machines.
        var special = "/*\"'\\\n\r\t #;!@|-r{}bc".Select(c => (byte)c).ToArray();
        var interesting = Gen.OneOf(Gen.Byte, Gen.Int[0, special.Length - 1].Select(i => special[i]));
        Gen.Select(interesting.Array[0, 400], Gen.Int[0, languages.Length - 1]).Sample((bytes, index) =>
        {
            var stats = LineCounter.Count(bytes, languages[index]);
            Assert.Equal(CountLines(bytes), stats.Lines);
            Assert.True(stats.Code >= 0 && stats.Comment >= 0 && stats.Blank >= 0);
        }, iter: 20_000);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("a", 1)]
    [InlineData("a\n", 1)]
    [InlineData("a\nb", 2)]
    [InlineData("\n\n", 2)]
    public void Lines_are_counted_as_cloc_counts_them(string text, long lines) =>
        Assert.Equal(lines, LineCounter.Count(Encoding.UTF8.GetBytes(text), LanguageCatalog.Default.ByName("C")!).Lines);

    [Fact]
    public void A_blank_line_after_a_continued_line_is_code_as_in_cloc()
    {
        var c = LanguageCatalog.Default.ByName("C")!;
        Assert.Equal(new LineStats(3, 0, 1), LineCounter.Count("int a; \\\n\nint b;\n\n"u8, c)); // cloc 1.96: 1 blank, 0 comment, 3 code
    }

    [Fact]
    public void An_apostrophe_in_prose_does_not_open_a_string_past_the_line()
    {
        var c = LanguageCatalog.Default.ByName("C")!;
        Assert.Equal(new LineStats(1, 1, 0), LineCounter.Count("#error don't\n/* comment */\n"u8, c));
    }

    private static long CountLines(byte[] bytes)
    {
        if (bytes.Length == 0)
            return 0;
        var newlines = bytes.Count(b => b == '\n');
        return bytes[^1] == '\n' ? newlines : newlines + 1;
    }
}

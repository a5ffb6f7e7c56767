using System.Text;
using Oxidation.Maintainers;
using Oxidation.Tests.RealTrees;

namespace Oxidation.Tests.Maintainers;

public sealed class MaintainersTests
{
    private const string Sample = """
        Descriptions of section entries and preferred order
        	M: *Mail* patches to: FullName <address@domain>

        ASIX PHY DRIVER [RUST]
        M:	Someone <someone@example.org>
        L:	netdev@vger.kernel.org
        S:	Maintained
        F:	drivers/net/phy/ax88796b_rust.rs

        NET PHY
        M:	Other <other@example.org>
        S:	Supported
        F:	drivers/net/phy/
        X:	drivers/net/phy/qt2025.rs

        GLOBS
        S:	Odd Fixes
        F:	drivers/*/foo*.c
        N:	binder

        DIRECTORY WITHOUT SLASH
        S:	Maintained
        F:	samples/rust
        """;

    private static List<MaintainersEntry> Entries() =>
        MaintainersFile.Parse(Encoding.UTF8.GetBytes(Sample), d => d is "samples/rust" or "samples");

    [Theory]
    [InlineData("drivers/net/phy/ax88796b_rust.rs", new[] { "ASIX PHY DRIVER [RUST]", "NET PHY" })]
    [InlineData("drivers/net/phy/qt2025.rs", new string[0])] // X: excludes
    [InlineData("drivers/net/phy/sub/deep.c", new[] { "NET PHY" })] // a directory pattern covers everything below
    [InlineData("drivers/gpio/foo_bar.c", new[] { "GLOBS" })] // * stays within one directory level
    [InlineData("drivers/gpio/sub/foo_bar.c", new string[0])]
    [InlineData("drivers/android/binder/node.rs", new[] { "GLOBS" })] // N: matches anywhere in the path
    [InlineData("samples/rust/rust_minimal.rs", new[] { "DIRECTORY WITHOUT SLASH" })] // an F: naming a directory covers it whole
    public void Entries_match_as_get_maintainer_pl_matches(string path, string[] expected)
    {
        var entries = Entries();
        Assert.Equal(expected, entries.Where(e => e.Covers(path)).Select(e => e.Name));
        Assert.Equal(expected.Order(), new MaintainersIndex(entries).Covering(path).Select(e => e.Name).Order());
    }

    [Fact]
    public void The_index_finds_exactly_what_trying_every_entry_finds_on_the_real_6_12_file()
    {
        var scan = KernelTrees.Linux612;
        var directories = new HashSet<string>(scan.Files.SelectMany(f => Enumerable.Range(0, f.Path.Length).Where(i => f.Path[i] == '/').Select(i => f.Path[..i])));
        var entries = MaintainersFile.Parse(Encoding.UTF8.GetBytes(scan.MaintainersText!), directories.Contains);
        var index = new MaintainersIndex(entries);
        var paths = scan.Files.Where((_, i) => i % 97 == 0).Select(f => f.Path).ToList();
        Assert.True(paths.Count > 800);
        foreach (var path in paths)
            Assert.Equal(entries.Where(e => e.Covers(path)).Select(e => e.Name).Order(), index.Covering(path).Select(e => e.Name).Order());
    }
    private static bool CoversWithin(string maintainers, string path, TimeSpan limit)
    {
        var entry = Assert.Single(MaintainersFile.Parse(Encoding.UTF8.GetBytes(maintainers), _ => false));
        var covers = Task.Run(() => entry.Covers(path));
        Assert.True(covers.Wait(limit), $"Covers({path}) did not finish within {limit.TotalSeconds} s");
        return covers.Result;
    }

    // Found by the fuzz test: F: globs became backtracking regexes (.*a.*a…), exponential in the number of stars.
    [Fact]
    public void An_F_pattern_of_many_stars_is_matched_in_linear_time() =>
        Assert.False(CoversWithin("MANY STARS\nM:\tx <x@example.org>\nF:\t" + string.Concat(Enumerable.Repeat("*a", 16)) + "b\n",
            "drivers/" + new string('a', 60) + ".c", TimeSpan.FromSeconds(5)));

    // Found by the fuzz test: an N: regex that ran past its 1 s timeout threw RegexMatchTimeoutException out of Covers.
    [Fact]
    public void An_N_regex_that_backtracks_exponentially_answers_without_throwing() =>
        Assert.False(CoversWithin("BAD REGEX\nM:\tx <x@example.org>\nN:\t(a+)+$\n", new string('a', 40) + "!", TimeSpan.FromSeconds(5)));

    // Broke the golden report test on a loaded machine: two scan threads timed out on the same N: regex; the first moved
    // it to the linear engine, the second found it already moved and let RegexMatchTimeoutException escape.
    [Fact]
    public async Task An_N_regex_that_times_out_on_many_threads_at_once_answers_on_all_of_them()
    {
        var entry = Assert.Single(MaintainersFile.Parse(Encoding.UTF8.GetBytes("BAD REGEX\nM:\tx <x@example.org>\nN:\t(a+)+$\n"), _ => false));
        var path = new string('a', 40) + "!";
        using var start = new Barrier(8);
        var answers = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return entry.Covers(path);
        }, TaskCreationOptions.LongRunning)).ToArray();
        var covered = await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(covered, Assert.False);
    }

    // get_maintainer.pl turns only . * ? into regex syntax, so [ch] stays a class: 20 F: lines of 6.12 use one.
    [Theory]
    [InlineData("drivers/net/phy/bcm7xxx.c", true)]
    [InlineData("drivers/net/phy/bcm-phy-lib.h", true)]
    [InlineData("drivers/net/phy/bcm7xxx.o", false)]
    [InlineData("drivers/input/misc/da7280.c", true)]
    [InlineData("drivers/input/misc/da728.c", false)]
    [InlineData("drivers/input/misc/dz.c", false)]
    [InlineData("drivers/input/misc/nota.c", true)]
    [InlineData("drivers/input/misc/x[y", true)]
    public void F_character_classes_match_as_get_maintainer_reads_them(string path, bool covered) =>
        Assert.Equal(covered, CoversWithin("CLASSES\nM:\tx <x@example.org>\nF:\tdrivers/net/phy/bcm*.[ch]\nF:\tdrivers/input/misc/da72??.[ch]\n"
            + "F:\tdrivers/input/misc/[^d]*.c\nF:\tdrivers/input/misc/x[y\n", path, TimeSpan.FromSeconds(5)));
}

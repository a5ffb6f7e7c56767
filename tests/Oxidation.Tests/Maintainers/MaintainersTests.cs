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
}

using System.Text;
using Oxidation.Kconfig;

namespace Oxidation.Tests.Kconfig;

public sealed class KconfigTests
{
    private const string Text = """
        menu "Block devices"
        	depends on BLOCK

        config BLK_DEV_RUST_NULL
        	tristate "Rust null block driver (Experimental)"
        	depends on RUST
        	help
        	  This is the Rust implementation of the null block driver. For now it
        	  is only a minimal stub.

        	  If unsure, say N.

        if NET
        config FOO
        	bool
        	prompt "Foo \"quoted\""
        	select BAR
        endif

        endmenu

        config AFTER
        	def_bool y
        """;

    [Fact]
    public void Entries_carry_prompt_dependencies_help_and_enclosing_blocks()
    {
        var symbols = KconfigFile.ParseWithBlocks("drivers/block/Kconfig", Encoding.UTF8.GetBytes(Text));
        Assert.Equal(["BLK_DEV_RUST_NULL", "FOO", "AFTER"], symbols.Select(s => s.Name));
        var rnull = symbols[0];
        Assert.Equal(("tristate", "Rust null block driver (Experimental)", 4), (rnull.Type, rnull.Prompt, rnull.Line));
        Assert.Equal(["RUST", "BLOCK"], rnull.DependsOn);
        Assert.Equal("This is the Rust implementation of the null block driver. For now it\nis only a minimal stub.\n\nIf unsure, say N.", rnull.Help);
        var foo = symbols[1];
        Assert.Equal(("bool", "Foo \"quoted\""), (foo.Type, foo.Prompt));
        Assert.Equal(["BAR"], foo.Selects);
        Assert.Equal(["BLOCK", "NET"], foo.DependsOn);
        Assert.Equal(("bool", null, 0), (symbols[2].Type, symbols[2].Prompt, symbols[2].DependsOn.Count));
    }
    private static List<KconfigSymbol> ParseWithin(string text, TimeSpan limit)
    {
        var parse = Task.Run(() => KconfigFile.ParseWithBlocks("Kconfig", Encoding.UTF8.GetBytes(text)));
        Assert.True(parse.Wait(limit), $"ParseWithBlocks did not finish within {limit.TotalSeconds} s");
        return parse.Result;
    }

    // Found by the fuzz test: a menu's depends lines were joined by string concatenation, quadratic in their number.
    [Fact]
    public void Many_depends_lines_of_a_menu_are_read_in_linear_time()
    {
        var text = "menu \"m\"\n" + string.Concat(Enumerable.Range(0, 30_000).Select(i => $"\tdepends on A{i}\n")) + "config B\n\tbool\n";
        var symbol = Assert.Single(ParseWithin(text, TimeSpan.FromSeconds(5)));
        var condition = Assert.Single(symbol.DependsOn);
        Assert.StartsWith("A0 && A1 && A2", condition, StringComparison.Ordinal);
        Assert.EndsWith("A29998 && A29999", condition, StringComparison.Ordinal);
    }

    // Found by the fuzz test: each entry took every enclosing if, so 30,000 nested ifs cost 30,000 x 30,000 checks.
    [Fact]
    public void Deeply_nested_ifs_are_read_in_linear_time_and_give_at_most_64_conditions()
    {
        var text = string.Concat(Enumerable.Range(0, 30_000).Select(i => $"if A{i}\nconfig B{i}\n"));
        var symbols = ParseWithin(text, TimeSpan.FromSeconds(5));
        Assert.Equal(30_000, symbols.Count);
        Assert.Equal(["A0", "A1", "A2"], symbols[2].DependsOn);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"A{i}"), symbols[^1].DependsOn);
    }
}

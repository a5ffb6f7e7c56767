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
}

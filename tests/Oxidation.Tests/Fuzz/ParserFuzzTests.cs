using System.Text;
using Oxidation.Counting;
using Oxidation.Cves;
using Oxidation.Kbuild;
using Oxidation.Kconfig;
using Oxidation.Languages;
using Oxidation.Maintainers;
using Oxidation.Rust;

namespace Oxidation.Tests.Fuzz;

/// <summary>
/// Issue 10, "Done means": hostile bytes as Kconfig, Kbuild Makefile, MAINTAINERS, CVE JSON and Rust never end in an
/// unhandled exception or a pathological run time. The Kconfig, Kbuild, MAINTAINERS and Rust readers promise never
/// to throw; the CVE parser reports a bad record as a <see cref="CveProblem"/>. Deterministic (see <see cref="Fuzzer.Seed"/>).
/// </summary>
public sealed class ParserFuzzTests
{
    // Shaped on rust/Kconfig, drivers/net/phy/Kconfig and init/Kconfig of 6.12.
    private const string KconfigSeed = """
        # SPDX-License-Identifier: GPL-2.0-only
        mainmenu "Linux/$(ARCH) $(KERNELVERSION) Kernel Configuration"

        menu "General setup"
        	depends on !UML

        config RUST
        	bool "Rust support"
        	depends on HAVE_RUST
        	depends on RUST_IS_AVAILABLE
        	depends on !MODVERSIONS || GENDWARFKSYMS
        	select CONSTRUCTORS
        	default n
        	help
        	  Enables Rust support in the kernel.

        	  This allows other Rust-related options, like drivers written in Rust,
        	  to be selected.

        if PHYLIB

        menuconfig AX88796B_PHY
        	tristate "Asix PHYs"
        	help
        	  Currently supports the Asix Electronics PHY found in the X-Surf 100
        	  AX88796B package.

        config AX88796B_RUST_PHY
        	bool "Rust reference driver for Asix PHYs"
        	depends on RUST_PHYLIB_ABSTRACTIONS && AX88796B_PHY
        	prompt "Rust \"reference\" driver"
        	---help---
        	  Uses the Rust reference driver for Asix PHYs (ax88796b_rust.ko).

        choice
        	prompt "Compiler optimization level"
        	default CC_OPTIMIZE_FOR_PERFORMANCE

        config CC_OPTIMIZE_FOR_PERFORMANCE
        	def_bool y

        endchoice

        config LOG_BUF_SHIFT
        	int "Kernel log buffer size (16 => 64KB, 17 => 128KB)"
        	range 12 25
        	default 17

        config RUSTC_VERSION_TEXT
        	string
        	default "$(shell,$(RUSTC) --version 2>/dev/null)"

        endif # PHYLIB

        source "drivers/net/phy/Kconfig"
        endmenu
        """;

    // Shaped on drivers/net/phy/Makefile, drivers/gpu/drm/Makefile and mm/kasan/Makefile of 6.12.
    private const string KbuildSeed = """
        # SPDX-License-Identifier: GPL-2.0
        # Makefile for Linux PHY drivers

        libphy-y			:= phy.o phy-c45.o phy-core.o phy_device.o \
        				   linkmode.o phy_link_topology.o
        mdio-bus-y			+= mdio_bus.o mdio_device.o

        ifdef CONFIG_MDIO_DEVICE
        obj-y				+= mdio-boardinfo.o
        endif

        ifdef CONFIG_AX88796B_RUST_PHY
          obj-$(CONFIG_AX88796B_PHY)	+= ax88796b_rust.o
        else
          obj-$(CONFIG_AX88796B_PHY)	+= ax88796b.o
        endif

        ifneq ($(CONFIG_DRM_PANIC),)
        drm-$(CONFIG_DRM_PANIC_SCREEN_QR_CODE) += drm_panic_qr.o
        else ifdef CONFIG_DRM_FBDEV_EMULATION
        drm-y += drm_fb_helper.o
        endif
        ifeq ($(CONFIG_KASAN),y)
        kasan_test-objs := kasan_test_c.o
        endif
        obj-$(CONFIG_DRM) += drm.o phy/ sub/dir/
        obj-$(subst m,y,$(CONFIG_PHYLIB)) += mdio-bus.o
        lib-y := lib.o
        ccflags-y += -I$(src) # include path
        CFLAGS_phy.o := -DDEBUG \# not a comment
        $(obj)/x.o: $(src)/x.c
        	$(call cmd,cc_o_c)
        """;

    // Shaped on MAINTAINERS of 6.12: the preamble, then sections with every kind of line.
    private const string MaintainersSeed = """
        List of maintainers
        ===================

        Descriptions of section entries and preferred order
        ---------------------------------------------------

        	M: *Mail* patches to: FullName <address@domain>
        	F: *Files* and directories wildcard patterns.

        Maintainers List
        ----------------

        3C59X NETWORK DRIVER
        M:	Steffen Klassert <klassert@kernel.org>
        L:	netdev@vger.kernel.org
        S:	Odd Fixes
        F:	Documentation/networking/device_drivers/ethernet/3com/vortex.rst
        F:	drivers/net/ethernet/3com/3c59x.c

        ASIX PHY DRIVER [RUST]
        M:	FUJITA Tomonori <fujita.tomonori@gmail.com>
        R:	Trevor Gross <tmgross@umich.edu>
        L:	netdev@vger.kernel.org
        L:	rust-for-linux@vger.kernel.org
        S:	Maintained
        F:	drivers/net/phy/ax88796b_rust.rs

        ARM/Rockchip SoC support
        M:	Heiko Stuebner <heiko@sntech.de>
        S:	Maintained
        F:	arch/arm64/boot/dts/rockchip/
        F:	drivers/*/*rockchip*
        F:	drivers/*/*/*rockchip*
        F:	drivers/*/foo[ab]*
        X:	drivers/net/ethernet/stmicro/
        X:	drivers/*/*/?x*
        N:	rockchip
        N:	[^a-z]rk3[0-9]{3}
        K:	\b(?i:rockchip)\b

        RUST
        M:	Miguel Ojeda <ojeda@kernel.org>
        S:	Supported
        W:	https://rust-for-linux.com
        B:	https://github.com/Rust-for-Linux/linux/issues
        T:	git https://github.com/Rust-for-Linux/linux.git rust-next
        F:	Documentation/rust/
        F:	rust/
        F:	samples/rust
        F:	scripts/*rust*
        K:	\b(?i:rust)\b

        THE REST
        M:	Linus Torvalds <torvalds@linux-foundation.org>
        S:	Buried alive in reporters
        F:	*
        F:	*/
        """;

    private const string RustSeed = """
        // SPDX-License-Identifier: GPL-2.0
        //! Rust Asix PHYs driver
        //!
        //! C version of this driver: [`drivers/net/phy/ax88796b.c`](./ax88796b.c)
        use kernel::{c_str, net::phy::{self, reg::C22, DeviceId, Driver}, prelude::*, uapi};

        kernel::module_phy_driver! {
            drivers: [PhyAX88772A, PhyAX88772C, PhyAX88796B],
            name: "rust_asix_phy",
            license: "GPL",
        }

        /// A doc comment with a test:
        ///
        /// ```
        /// let x = unsafe { core::ptr::read(&1u8) };
        /// ```
        fn asix_soft_reset(dev: &mut phy::Device) -> Result {
            // SAFETY: `dev` is valid for the whole call.
            let r = unsafe { bindings::phy_write(dev.as_ptr(), uapi::MII_BMCR as u16, 0) };
            let s = r#"raw "string""#; let b = b'\''; let c = c"cstr"; let l: &'static str = "a\"b";
            /* nested /* block */ comment */ 'label: loop { break 'label; }
            let n = 0x1F_u32 + 1e-5 as u32 + 2.5E+3 as u32 + 1..2;
            Ok(())
        }

        unsafe impl Send for Foo {}
        // SAFETY: TODO
        unsafe fn raw(p: *const u8) -> u8 { *p }
        """;

    private static readonly byte[] CveSeed = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fuzz", "CVE-2024-26581.json"));

    private const string CvePath = "cve/published/2024/CVE-2024-26581.json";

    private static readonly string[] Releases = ["6.12", "6.1.117", "6.14-rc1", "0", "99999999999.1", ""];

    [Fact]
    public void Any_bytes_as_Kconfig_parse_without_throwing()
    {
        var seed = Encoding.UTF8.GetBytes(KconfigSeed);
        Fuzzer.Run(Fuzzer.Inputs(seed, "\n\t \"\\#!&|()=<>$,-_AZaz09", "config", "menuconfig", "bool", "tristate", "string", "int", "hex",
            "def_bool", "def_tristate", "prompt", "depends on", "select", "imply", "default", "range", "help", "---help---", "if", "endif",
            "menu", "endmenu", "choice", "endchoice", "comment", "source", "rsource", "mainmenu", "visible if", "&&", "||"), ReadKconfig, 3000);
    }

    [Fact]
    public void Any_bytes_as_a_Kbuild_Makefile_parse_and_resolve_without_throwing()
    {
        var seed = Encoding.UTF8.GetBytes(KbuildSeed);
        Fuzzer.Run(Fuzzer.Inputs(seed, "\n\t \\#$(){}:=+?-/._,ymCONFIG", "obj-y", "obj-m", "obj-$(CONFIG_X)", "foo-y", "foo-objs", "+=", ":=", "?=", "=",
            "ifdef", "ifndef", "ifeq", "ifneq", "else", "endif", "CONFIG_", "$(CONFIG_X)", ".o", "/", "\\"), ReadKbuild, 3000);
    }

    [Fact]
    public void Any_bytes_as_MAINTAINERS_parse_and_answer_coverage_without_throwing()
    {
        var seed = Encoding.UTF8.GetBytes(MaintainersSeed);
        Fuzzer.Run(Fuzzer.Inputs(seed, "\n\t :*?/[]()\\.^$+MRLSFXNKW", "M:", "R:", "L:", "S:", "F:", "X:", "N:", "K:", "W:", "T:", "*", "?",
            "[ab]", "drivers/", "rust/", "\t"), ReadMaintainers, 3000);
    }

    [Fact]
    public void Any_bytes_as_a_CVE_record_parse_or_are_a_record_problem()
    {
        Fuzzer.Run(Fuzzer.Inputs(CveSeed, "{}[]\":,\\ \n0123456789.eE-+tfnul", "{", "}", "[", "]", "\"cveMetadata\"", "\"cveId\"", "\"containers\"",
            "\"cna\"", "\"affected\"", "\"versions\"", "\"version\"", "\"lessThan\"", "\"lessThanOrEqual\"", "\"versionType\"", "\"status\"",
            "\"metrics\"", "\"cvssV3_1\"", "\"baseScore\"", "\"references\"", "\"url\"", "\"programFiles\"", "\"descriptions\"", "\"value\"",
            "null", "true", "false", "1e400", "\"CVE-2024-26581\"", "\"*\"", "\"6.1.*\""), ReadCve, 3000);
    }

    [Fact]
    public void Any_bytes_as_Rust_lex_count_and_audit_without_throwing()
    {
        var seed = Encoding.UTF8.GetBytes(RustSeed);
        Fuzzer.Run(Fuzzer.Inputs(seed, "/*!\"'\\#rbc{}();\n unsafe", "unsafe", "// SAFETY:", "/*", "*/", "r#\"", "\"#", "b'", "'a", "'\\u{1F600}'",
            "impl", "fn", "{", "}", "#[", "]", "///", "//!", "```", "c\"", "br##\"", "0x", "1e-", ".."), ReadRust, 3000);
    }

    /// <summary>Lines of 1 MiB made of one piece repeated, for each parser: none may take seconds.</summary>
    [Fact]
    public async Task A_megabyte_line_of_any_repeated_piece_is_read_without_a_blow_up()
    {
        string[] pieces = ["a", " ", "\t", "\\", "#", "$(", "(", "[", "*", "*a", "?", "\"", "'", "/*", "r#", "{", "-", "config ", "if A\n",
            "depends on A\n", "obj-y += a/\n", "ifdef CONFIG_A\n", "else ifdef CONFIG_A\n", "F:\t*a\n", "N:\t(a+)+$\n", "X:\t*\n",
            "if A\nconfig B\n", "menu \"m\"\n\tdepends on A\nconfig B\n", "ifdef CONFIG_A\nobj-y += a.o\n", "x\nF:\t*a*a*a*a*a*a*a*a*a*a*a*a*b\n"];
        foreach (var piece in pieces)
        {
            var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(piece, (1 << 20) / piece.Length)));
            var shown = Fuzzer.Show(Encoding.UTF8.GetBytes(piece));
            // The first slow case fails the test: a case left running would slow down the ones after it.
            Assert.Null(await Fuzzer.TimedAsync($"Kconfig of {shown}", () => ReadKconfig(bytes)));
            Assert.Null(await Fuzzer.TimedAsync($"Kbuild of {shown}", () => ReadKbuild(bytes)));
            Assert.Null(await Fuzzer.TimedAsync($"MAINTAINERS of {shown}", () => ReadMaintainers(bytes)));
            Assert.Null(await Fuzzer.TimedAsync($"CVE JSON of {shown}", () => ReadCve(bytes)));
            Assert.Null(await Fuzzer.TimedAsync($"Rust of {shown}", () => ReadRust(bytes)));
        }
    }

    private static void ReadKconfig(byte[] bytes)
    {
        var symbols = KconfigFile.ParseWithBlocks("drivers/net/phy/Kconfig", bytes);
        var database = new KconfigDatabase();
        database.Add(symbols);
        database.Add(KconfigFile.Parse("rust/Kconfig", bytes));
        foreach (var symbol in database.Symbols)
        {
            Assert.False(string.IsNullOrEmpty(symbol.Name));
            Assert.True(symbol.Line >= 1);
            _ = symbol.DependsOnText;
            _ = symbol.DependencySymbols.Count();
        }
    }

    private static void ReadKbuild(byte[] bytes)
    {
        var tree = new KbuildTree();
        var makefile = KbuildMakefile.Parse("drivers/net/phy/Makefile", bytes);
        tree.Add(makefile);
        tree.Add(KbuildMakefile.Parse("drivers/net/Makefile", bytes));
        tree.Add(KbuildMakefile.Parse("Kbuild", bytes));
        var objects = makefile.Objects.Select(g => g.Target)
            .Concat(makefile.Composites.Values.SelectMany(m => m).Select(g => g.Target))
            .Where(t => t.EndsWith(".o", StringComparison.Ordinal))
            .Take(200)
            .Append("ax88796b_rust.o").Append("sub/part.o");
        foreach (var target in objects)
        {
            var resolution = tree.Resolve("drivers/net/phy/" + target);
            if (resolution is not null)
                Assert.All(resolution.Symbols, s => Assert.False(string.IsNullOrEmpty(s)));
        }
    }

    private static readonly string[] MaintainedPaths =
    [
        "drivers/net/phy/ax88796b_rust.rs", "drivers/net/ethernet/stmicro/x.c", "drivers/a/fooa.c", "rust/kernel/lib.rs", "samples/rust",
        "arch/arm64/boot/dts/rockchip/rk3399.dtsi", "README", "", "/", "a//b", "drivers/xx/yy/zz/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.c",
    ];

    private static void ReadMaintainers(byte[] bytes)
    {
        var entries = MaintainersFile.Parse(bytes, d => d is "samples/rust" or "samples" or "drivers" || d.EndsWith("phy", StringComparison.Ordinal));
        var index = new MaintainersIndex(entries, new HashSet<string>(["THE REST"]));
        foreach (var path in MaintainedPaths)
        {
            var covering = index.Covering(path).ToList();
            Assert.All(covering, e => Assert.NotNull(e.Name));
            _ = entries.Take(50).Count(e => e.Covers(path));
        }
    }

    private static void ReadCve(byte[] bytes)
    {
        var record = CveParser.TryParse(CvePath, bytes, out var problem);
        Assert.True(record is not null || problem is not null, "no record and no problem");
        if (problem is not null)
            Assert.False(string.IsNullOrWhiteSpace(problem.Reason));
        if (record is null)
            return;
        _ = BugClassifier.Default.Classify(record);
        _ = record.Body;
        foreach (var release in Releases)
            _ = ReleaseRanges.Affects(record, release);
    }

    private static readonly Language RustLanguage = LanguageCatalog.Default.ByName("Rust")!;

    private static void ReadRust(byte[] bytes)
    {
        var tokens = RustLexer.Tokenize(bytes);
        var previousEnd = 0;
        foreach (var token in tokens)
        {
            if (token.Start < previousEnd || token.Length <= 0 || token.Start + token.Length > bytes.Length || token.EndLine < token.Line)
                Assert.Fail($"token {token} out of place");
            previousEnd = token.Start + token.Length;
        }
        var stats = RustLexer.CountLines(bytes, tokens);
        Assert.Equal(LineCounter.Count(bytes, RustLanguage).Lines, stats.Lines);
        _ = UnsafeAudit.Audit(bytes, tokens, RustKnowledge.Default);
        _ = UnsafeAudit.Audit(bytes, tokens, RustKnowledge.Default, docTest: true);
        _ = DocTests.Audit(bytes, tokens, RustKnowledge.Default);
    }
}

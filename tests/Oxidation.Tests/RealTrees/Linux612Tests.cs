using Oxidation.Model;

namespace Oxidation.Tests.RealTrees;

public sealed class Linux612Tests
{
    private static ScanResult Scan => KernelTrees.Linux612;

    [Fact]
    public void Release_is_read_from_the_top_makefile() => Assert.Equal("6.12.118", Scan.Release);

    /// <summary>cloc 1.96 on the unpacked tree (`cloc --quiet --by-file --csv`), measured 2026-11-23:
    /// files, code, comment, blank. cloc drops byte-identical duplicates (169 of the 194 files it
    /// leaves out); Oxidation counts every file, which keeps it within 1%.</summary>
    [Theory]
    [InlineData("C", 34648, 18376805, 2773511, 3567960)]
    [InlineData("C/C++ Header", 25121, 7863788, 1497286, 752228)]
    [InlineData("Rust", 79, 9670, 9128, 1778)]
    [InlineData("Assembly", 1334, 230999, 98639, 48039)]
    public void Language_totals_are_within_one_percent_of_cloc(string language, long files, long code, long comment, long blank)
    {
        var total = Assert.Single(Scan.Languages, l => l.Language == language);
        Assert.InRange(total.Files, files * 0.99, files * 1.01);
        Assert.InRange(total.Code, code * 0.99, code * 1.01);
        Assert.InRange(total.Comment, comment * 0.99, comment * 1.01);
        Assert.InRange(total.Blank, blank * 0.99, blank * 1.01);
    }

    [Fact]
    public void Rust_files_per_area_match_find()
    {
        // find -name '*.rs' | cut -d/ -f1-2 | sort | uniq -c on the unpacked tree.
        Assert.Equal(
            [("abstractions", 51L), ("bindings", 2L), ("build", 6L), ("drivers", 4L), ("macros", 10L), ("samples", 5L), ("subsystems", 1L)],
            Scan.Rust.Areas.Select(a => (a.Area, a.Files)));
        Assert.Equal(79, Scan.Rust.Kernel.Files);
        Assert.Equal(0, Scan.Rust.Vendored.Files);
    }

    [Fact]
    public void Units_have_their_kconfig_symbols_and_counterparts()
    {
        // From drivers/*/Makefile, drivers/*/Kconfig, samples/rust/Makefile and mm/kasan/Makefile, read by hand.
        Assert.Equal(
            [
                ("rnull_mod", "module", "BLK_DEV_RUST_NULL", true, "BLK_DEV_NULL_BLK"),
                ("rust_asix_phy", "driver", "AX88796B_RUST_PHY", false, "AX88796B_PHY"),
                ("qt2025_phy", "driver", "AMCC_QT2025_PHY", false, null),
                ("rust_minimal", "module", "SAMPLE_RUST_MINIMAL", false, null),
                ("rust_print", "module", "SAMPLE_RUST_PRINT", false, null),
                ("drm_panic_qr", "linked", "DRM_PANIC_SCREEN_QR_CODE", false, null),
                ("kasan_test_rust", "linked", "KASAN_KUNIT_TEST", false, null),
            ],
            Scan.Rust.Units.Select(u => (u.Name, u.Kind, u.Kconfig, u.Experimental, u.Counterpart)));
        var qr = Scan.Rust.Units.Single(u => u.Name == "drm_panic_qr");
        Assert.Equal("drm", qr.LinkedInto);
        Assert.Equal(["drivers/net/phy/ax88796b_rust.rs"], Scan.Rust.Units.Single(u => u.Name == "rust_asix_phy").Files);
        Assert.Equal(["module", "module_phy_driver"], Scan.Rust.UnitMacros);
    }

    [Fact]
    public void Bindings_headers_and_helpers_match_the_tree()
    {
        // grep -c '#include' rust/bindings/bindings_helper.h rust/uapi/uapi_helper.h: 15 and 4.
        Assert.Equal(19, Scan.Rust.Bindings.Headers.Count);
        Assert.Contains(Scan.Rust.Bindings.Headers, h => h.Path == "include/linux/phy.h" && h.InTree);
        Assert.Contains(Scan.Rust.Bindings.Headers, h => h.Path == "include/uapi/linux/mii.h" && h.IncludedFrom == "rust/uapi/uapi_helper.h");
        // grep rust_helper_ rust/helpers/*.c without the EXPORT lines: 31 definitions in 17 files.
        Assert.Equal(31, Scan.Rust.Bindings.Helpers.Count);
        Assert.Contains(Scan.Rust.Bindings.Helpers, h => h.Name == "rust_helper_ERR_PTR" && h.File == "rust/helpers/err.c" && h.Line == 6);
    }

    [Fact]
    public void Unsafe_sites_counted_by_hand_are_found()
    {
        // drivers/gpu/drm/drm_panic_qr.rs: `pub unsafe extern "C" fn drm_panic_qr_generate` at 933 (documented with
        // # Safety), and three unsafe blocks at 946, 949, 961, each under a SAFETY comment.
        var qr = Scan.Rust.Unsafe.Sites.Where(s => s.Path == "drivers/gpu/drm/drm_panic_qr.rs" && !s.DocTest).ToList();
        Assert.Equal(
            [(933, "fn", "documented"), (946, "block", "justified"), (949, "block", "justified"), (961, "block", "justified")],
            qr.Select(s => (s.Line, s.Kind, s.Status)));
        // rust/kernel/error.rs: grep -c 'unsafe {' gives 12, one of them in a `///` example (line 285): 11 compiled
        // blocks and 1 doc-test block. The one at 306 has its SAFETY comment after an attribute.
        var error = Scan.Rust.Files.Single(f => f.Path == "rust/kernel/error.rs");
        Assert.Equal((11, 1), (error.UnsafeBlocks, error.DocTestUnsafeBlocks));
        Assert.Contains(Scan.Rust.Unsafe.Sites, s => s.Path == "rust/kernel/error.rs" && s.Line == 285 && s.DocTest);
        Assert.Contains(Scan.Rust.Unsafe.Sites, s => s.Path == "rust/kernel/error.rs" && s.Line == 306 && s.Status == "justified");
        // Struct patterns before `= unsafe { … }` (checked by hand: SAFETY comments right above both lets).
        Assert.Contains(Scan.Rust.Unsafe.Sites, s => s.Path == "rust/kernel/list.rs" && s.Line == 371 && s.Status == "justified");
        Assert.Contains(Scan.Rust.Unsafe.Sites, s => s.Path == "rust/kernel/list.rs" && s.Line == 403 && s.Status == "justified");
        Assert.Equal(Scan.Rust.Unsafe.Blocks, Scan.Rust.Unsafe.BlocksJustified + Scan.Rust.Unsafe.BlocksTodo + Scan.Rust.Unsafe.BlocksUnjustified);
    }

    [Fact]
    public void Maintainers_entries_cover_the_rust_drivers()
    {
        var asix = Assert.Single(Scan.Maintainers, m => m.Entry == "ASIX PHY DRIVER [RUST]");
        Assert.Equal(["drivers/net/phy/ax88796b_rust.rs"], asix.Files);
        Assert.Contains(Scan.Maintainers, m => m.Entry == "RUST" && m.Status == "Supported");
        Assert.DoesNotContain("drivers/net/phy/ax88796b_rust.rs", Scan.Rust.UncoveredFiles);
        Assert.Contains("rust/kernel/error.rs", Scan.Rust.UncoveredFiles);
    }

    [Theory]
    // Checked with the tree's own script: perl scripts/get_maintainer.pl --no-git --no-git-fallback --sections -f PATH.
    // Both entries say F: ….[ch], a character class to get_maintainer.pl; it was matched literally before (found by the
    // fuzz test), which moved cves stats' by-entry counts (e.g. AMD KFD 56 -> 64 records, ARM GIC 1 -> 13).
    [InlineData("drivers/irqchip/irq-gic-v3.c", "ARM GENERIC INTERRUPT CONTROLLER DRIVERS")]
    [InlineData("drivers/gpu/drm/amd/amdgpu/amdgpu_amdkfd_gpuvm.c", "AMD KFD")]
    public void Bracketed_character_classes_in_F_patterns_match_as_get_maintainer_reads_them(string path, string entry)
    {
        var directories = Scan.Files.SelectMany(f => Enumerable.Range(1, f.Path.Count(c => c == '/')).Select(n => string.Join('/', f.Path.Split('/').Take(n)))).ToHashSet();
        var index = new Oxidation.Maintainers.MaintainersIndex(
            Oxidation.Maintainers.MaintainersFile.Parse(System.Text.Encoding.UTF8.GetBytes(Scan.MaintainersText!), directories.Contains));
        Assert.Contains(entry, index.Covering(path).Select(e => e.Name));
    }

    [Fact]
    public void Invalid_utf8_files_are_counted_and_listed_as_problems()
    {
        Assert.Contains(Scan.Problems, p => p.Path == "drivers/tty/vt/defkeymap.map" && p.Counted);
        Assert.Equal(86630, Scan.Summary.Files); // 6.12.118: tar -tJf lists 86,630 regular files (86,692 entries less 62 links)
    }
}

using System.Text.Json;
using Oxidation.Cli.Tests;
using Oxidation.Reports.Claims;
using Oxidation.Store;

namespace Oxidation.Reports.Tests;

/// <summary>
/// The <c>binding_coverage</c> and <c>rust_dependents</c> claim forms on the real 6.1 and 6.12 trees. Values checked by hand
/// (grep on the unpacked tarballs, as BindingCoverageTests documents): 6.12.118 reaches 91 of 11,975 functions and 27 of 1,407
/// structs; include/linux/rbtree.h 10 of 23 functions; 6.1.192's SLAB ALLOCATOR (include/linux/slab.h) 2 of 53 (krealloc, kfree);
/// <c>grep -rlE 'bindings::(phy_|genphy_|mdio|PHY_)' --include=*.rs .</c> in 6.12 finds rust/kernel/net/phy.rs and
/// rust/kernel/net/phy/reg.rs; <c>.speed</c> of struct phy_device is written at rust/kernel/net/phy.rs:166 only; kmalloc (a macro
/// in 6.12's slab.h) is named by no Rust file (krealloc goes through rust_helper_krealloc).
/// </summary>
[Collection("real database")]
public sealed class CoverageClaimsTests(RealDatabase db)
{
    private const string Claims = """
        claims:
          - id: functions-under-5pc
            claim: Rust reaches under 5% of the C functions bindgen sees
            release: "6.12"
            query:
              binding_coverage: { kind: function }
            expect: { lessThan: 5 }
          - id: structs-over-3pc
            claim: Rust reaches over 3% of the C structs bindgen sees
            release: "6.12"
            query:
              binding_coverage: { kind: struct }
            expect: { greaterThan: 3 }
          - id: rbtree-functions
            claim: Rust reaches 10 functions of rbtree.h
            query:
              binding_coverage: { kind: function, header: include/linux/rbtree.h, measure: reached }
            expect: { equals: 10 }
          - id: slab-6.1
            claim: Rust reaches the slab allocator's functions in 6.1
            release: oldest
            query:
              binding_coverage: { kind: function, subsystem: SLAB ALLOCATOR }
            expect: { atLeast: 1 }
          - id: rbtree-structs
            claim: rbtree.h has structs Rust reaches
            query:
              binding_coverage: { kind: struct, header: include/linux/rbtree.h }
            expect: true
          - id: phy-header
            claim: Two Rust files depend on include/linux/phy.h
            query:
              rust_dependents: { header: include/linux/phy.h }
            expect: { equals: 2 }
          - id: phy-speed
            claim: Changing the speed field of struct phy_device affects Rust code
            query:
              rust_dependents: { symbol: struct phy_device.speed }
            expect: true
          - id: kmalloc
            claim: Changing kmalloc affects Rust code
            query:
              rust_dependents: { symbol: kmalloc }
            expect: true
          - id: no-such-symbol
            claim: Changing kmallocx affects Rust code
            query:
              rust_dependents: { symbol: kmallocx }
            expect: true
          - id: not-scanned
            claim: Rust reaches macros in 6.15
            release: "6.15"
            query:
              binding_coverage: { kind: macro }
            expect: true
        """;

    [Fact]
    public void Coverage_and_dependents_claims_hold_fail_or_cannot_tell_with_the_values_checked_by_hand()
    {
        var path = Path.Combine(db.Directory, "coverage-claims.yaml");
        File.WriteAllText(path, Claims);
        var (exit, stdout, error) = CliRunner.Run(db.Directory, "--db", db.Path, "check", path, "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        var byId = json.RootElement.EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!, v => v);
        string Verdict(string id) => byId[id].GetProperty("verdictText").GetString()!;
        double Value(string id) => byId[id].GetProperty("value").GetDouble();
        string Evidence(string id) => byId[id].GetProperty("evidence").GetString()!;

        Assert.Equal("holds", Verdict("functions-under-5pc"));
        Assert.Equal(100.0 * 91 / 11975, Value("functions-under-5pc"), 3);
        Assert.Equal("Rust reaches 91 of 11,975 functions of the 718 headers bindgen reads in 6.12.118 = 0.76%", Evidence("functions-under-5pc"));
        Assert.Equal("fails", Verdict("structs-over-3pc"));
        Assert.Equal(100.0 * 27 / 1407, Value("structs-over-3pc"), 3);
        Assert.Equal(("holds", 10.0), (Verdict("rbtree-functions"), Value("rbtree-functions")));
        Assert.Equal("holds", Verdict("slab-6.1"));
        Assert.Equal(100.0 * 2 / 53, Value("slab-6.1"), 3);
        Assert.Equal("Rust reaches 2 of 53 functions of SLAB ALLOCATOR in 6.1.192 = 3.77%", Evidence("slab-6.1"));
        Assert.Equal("cannot tell", Verdict("rbtree-structs"));
        Assert.Equal("include/linux/rbtree.h declares no struct in 6.12.118", Evidence("rbtree-structs"));
        Assert.Equal(("holds", 2.0), (Verdict("phy-header"), Value("phy-header")));
        Assert.Equal("2 Rust files using include/linux/phy.h in 6.12.118: rust/kernel/net/phy.rs, rust/kernel/net/phy/reg.rs", Evidence("phy-header"));
        Assert.Equal(("holds", 1.0), (Verdict("phy-speed"), Value("phy-speed")));
        Assert.Equal(("fails", 0.0), (Verdict("kmalloc"), Value("kmalloc")));
        Assert.Equal("cannot tell", Verdict("no-such-symbol"));
        Assert.StartsWith("no declaration named kmallocx in the 744 headers bindgen reads in 6.12.118; near names: kmalloc", Evidence("no-such-symbol"));
        Assert.Equal("cannot tell", Verdict("not-scanned"));
        Assert.Equal("release 6.15 not scanned (scanned: 6.1.192, 6.12.118)", Evidence("not-scanned"));
    }

    [Fact]
    public void Coverage_agrees_between_the_json_the_report_model_and_the_claims()
    {
        var (exit, stdout, error) = CliRunner.Run(db.Directory, "--db", db.Path, "coverage", "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(stdout);
        using var database = OxidationDatabase.OpenReadOnly(db.Path);
        var claims = ClaimsFile.Parse("agree.yaml", "claims:\n  - id: f\n    claim: f\n    query:\n      binding_coverage: { kind: struct, subsystem: BLOCK LAYER, measure: reached }\n    expect: true\n");
        var model = ReportBuilder.Build(database, claims);
        var newest = model.Coverage.Newest!;
        var block = newest.Subsystems.Single(s => s.Name == "BLOCK LAYER");
        var fromJson = json.RootElement.GetProperty("releases")[1].GetProperty("subsystems").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "BLOCK LAYER");
        Assert.Equal(block.StructsReached, fromJson.GetProperty("structsReached").GetInt32());
        Assert.Equal(block.StructsReached, (int)Assert.Single(model.Claims).Value!.Value);
        // BLOCK LAYER (F: include/linux/blk*): blk-mq.h gives blk_mq_tag_set, blk_mq_queue_data, blk_mq_ops, request and blk_mq_hw_ctx,
        // blkdev.h gendisk, queue_limits, block_device_operations and io_comp_batch (grep bindings:: in rust/kernel/block, then "^struct X {").
        Assert.Equal(9, block.StructsReached);
    }

    [Theory]
    [InlineData("binding_coverage: { header: include/linux/phy.h }", "query.binding_coverage needs kind: function, struct or macro")]
    [InlineData("binding_coverage: { kind: union }", "query.binding_coverage.kind: 'union' is not one of function, struct, macro")]
    [InlineData("binding_coverage: { kind: function, header: a.h, subsystem: B }", "query.binding_coverage takes header or subsystem, not both")]
    [InlineData("rust_dependents: { }", "query.rust_dependents takes symbol (one or a list) or header, one of them")]
    [InlineData("rust_dependents: { symbol: kmalloc, header: include/linux/slab.h }", "query.rust_dependents takes symbol (one or a list) or header, one of them")]
    public void A_malformed_coverage_or_dependents_query_is_invalid_with_its_reason(string query, string reason)
    {
        var path = Path.Combine(db.Directory, "bad-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(path, $"claims:\n  - id: bad\n    claim: bad\n    query:\n      {query}\n    expect: true\n");
        var (exit, _, error) = CliRunner.Run(db.Directory, "--db", db.Path, "check", path);
        Assert.Equal(1, exit);
        Assert.Contains($"claim 'bad': {reason}", error);
    }
}

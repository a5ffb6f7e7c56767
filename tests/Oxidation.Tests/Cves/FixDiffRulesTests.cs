using Oxidation.Cves;

namespace Oxidation.Tests.Cves;

/// <summary>The fix-diff rules (data/fix-diff-rules.json) on diffs written out by hand, each line as a kernel fix writes it.</summary>
public sealed class FixDiffRulesTests
{
    private const string Commit = "1d5a474240407c38ca8c7484a656ee39f585399c";

    private static FixDiff Diff(string path, string[] added, string[]? removed = null) => new(Commit, [new FileDiff(path, added, removed ?? [])]);

    private static (string Class, string Rule, string Line)? Find(FixDiff diff) =>
        FixDiffRules.Default.Find(diff) is { } f ? (f.Signal.Class, f.Signal.Rule, f.Signal.Line) : null;

    [Theory]
    [InlineData("\tif (!skb)", "null-deref", "NULL check")]
    [InlineData("\tif (unlikely(!dev->priv))", "null-deref", "NULL check")]
    [InlineData("\tif (!ctx || !ctx->ops)", "null-deref", "NULL check")]
    [InlineData("\tif (entry == NULL)", "null-deref", "NULL check")]
    [InlineData("\tif (len > skb->len)", "out-of-bounds", "bounds check")]
    [InlineData("\tif (idx >= FOO_MAX_QUEUES)", "out-of-bounds", "bounds check")]
    [InlineData("\tif (sizeof(*hdr) > len)", "out-of-bounds", "bounds check")]
    [InlineData("\tcount = min_t(size_t, count, sizeof(buf) - 1);", "out-of-bounds", "length clamped")]
    [InlineData("\tspin_lock_bh(&priv->lock);", "data-race", "locking added")]
    [InlineData("\tguard(mutex)(&dev->lock);", "data-race", "locking added")]
    [InlineData("\tval = READ_ONCE(sk->sk_rcvbuf);", "data-race", "locking added")]
    [InlineData("\tmemset(&info, 0, sizeof(info));", "uninitialized", "memory zeroed")]
    [InlineData("\tstruct ethtool_wolinfo wol = {};", "uninitialized", "zero initialiser")]
    [InlineData("\tcancel_work_sync(&priv->reset_work);", "use-after-free", "pending work stopped")]
    [InlineData("\tkref_get(&req->ref);", "use-after-free", "reference taken")]
    [InlineData("\tof_node_put(np);", "memory-leak", "memory or reference released")]
    [InlineData("\tpm_runtime_put_noidle(dev);", "resource-leak", "resource released")]
    public void An_added_line_gives_its_class(string line, string cls, string rule) =>
        Assert.Equal((cls, rule, line.Trim()), Find(Diff("drivers/net/foo.c", [line])));

    [Theory]
    [InlineData("\tif (!ret)")] // an error code, not a pointer
    [InlineData("\tif (p->len)")] // -> is not a comparison
    [InlineData("\tif (ret < 0)")]
    [InlineData("\tflags |= FOO_SYNC;")]
    [InlineData("\t * if (!p) the caller must not use it")] // a comment
    public void Lines_that_show_no_class_give_none(string line) =>
        Assert.Null(Find(Diff("drivers/net/foo.c", [line])));

    [Fact]
    public void Only_C_sources_count() =>
        Assert.Null(Find(Diff("Documentation/networking/foo.rst", ["if (!skb)"])));

    [Fact]
    public void A_line_only_reindented_is_not_new_code() =>
        Assert.Null(Find(Diff("fs/foo/inode.c", ["\t\tif (!inode)"], ["\tif (!inode)"])));

    [Fact]
    public void A_lock_swapped_for_another_is_not_one_added() =>
        Assert.Null(Find(Diff("drivers/tty/foo.c", ["\tspin_lock_irqsave(&port->lock, flags);"], ["\tspin_lock(&port->lock);"])));

    [Fact]
    public void A_put_moved_after_the_last_use_is_a_use_after_free()
    {
        var diff = Diff("net/foo/peer.c", ["\tpeer->delete_reason = reason;", "\tfoo_peer_put(peer);"], ["\tfoo_peer_put(peer);", "\tpeer->delete_reason = reason;"]);
        Assert.Equal(("use-after-free", "free or put moved", "foo_peer_put(peer);"), Find(diff));
        var (signal, moved) = FixDiffRules.Default.Find(diff)!.Value;
        Assert.True(moved);
        Assert.Equal("fix diff 1d5a47424040 net/foo/peer.c: free or put moved: \"±foo_peer_put(peer);\"", signal.Evidence(moved));
    }

    [Fact]
    public void A_zeroing_allocation_counts_only_in_place_of_a_plain_one()
    {
        Assert.Equal("uninitialized", Find(Diff("net/sched/act_foo.c", ["\topt = kzalloc(sizeof(*opt), GFP_KERNEL);"], ["\topt = kmalloc(sizeof(*opt), GFP_KERNEL);"]))?.Class);
        Assert.Null(Find(Diff("net/sched/act_foo.c", ["\topt = kzalloc(sizeof(*opt), GFP_KERNEL);"])));
    }

    [Fact]
    public void The_first_rule_in_the_files_order_decides()
    {
        // A use-after-free fix that also checks the pointer: "pending work stopped" comes before "NULL check".
        var diff = Diff("drivers/foo/core.c", ["\tif (!priv)", "\t\treturn;", "\tcancel_work_sync(&priv->work);"]);
        Assert.Equal("use-after-free", Find(diff)?.Class);
    }

    [Fact]
    public void Every_rule_names_a_class_of_docs_cve_classes()
    {
        var classes = BugClassifier.Default.Classes.ToHashSet();
        Assert.All(FixDiffRules.Default.Rules, r => Assert.Contains(r.Class, classes));
        Assert.Equal(12, FixDiffRules.Default.Rules.Count());
        Assert.Matches("^[0-9a-f]{12}$", FixDiffRules.Default.Version);
    }
}

using Oxidation.Tree;

namespace Oxidation.Git.Tests;

/// <summary><see cref="FixDiffReader"/> against git itself: the lines <c>git show</c> marks + and - are the ones it reads.</summary>
public sealed class FixDiffReaderTests : IDisposable
{
    private readonly KernelRepository _repo = new();

    public void Dispose()
    {
        _repo.Repo.Dispose();
        Directory.Delete(_repo.Path, recursive: true);
    }

    private const string Before = "int foo_open(struct foo *f)\n{\n\tf->buf = kmalloc(64, GFP_KERNEL);\n\tf->state = 1;\n\treturn 0;\n}\n";
    private const string After = "int foo_open(struct foo *f)\n{\n\tf->buf = kmalloc(64, GFP_KERNEL);\n\tif (!f->buf)\n\t\treturn -ENOMEM;\n\tf->state = 1;\n\treturn 0;\n}\n";

    [Fact]
    public void The_diff_of_a_commit_is_the_lines_git_adds_and_removes()
    {
        var root = _repo.Commit(KernelRepository.Ada, "2024-03-01T10:00:00Z", "foo: add", ("drivers/foo/foo.c", Before), ("drivers/foo/Makefile", "obj-y += foo.o\n"));
        var fix = _repo.Commit(KernelRepository.Ada, "2024-03-02T10:00:00Z", "foo: check the allocation",
            ("drivers/foo/foo.c", After), ("drivers/foo/Makefile", null), ("drivers/foo/fw.bin", "\0\u0001binary"));
        using var reader = FixDiffReader.Open(_repo.Path);
        Assert.Equal(fix.Sha, reader.Resolve(fix.Sha[..12]));
        var diff = reader.Read(fix.Sha);
        Assert.Equal(fix.Sha, diff.Commit);
        Assert.Equal(["drivers/foo/Makefile", "drivers/foo/foo.c", "drivers/foo/fw.bin"], diff.Files.Select(f => f.Path));
        // git show --numstat: "2 0 drivers/foo/foo.c", "0 1 drivers/foo/Makefile", "- - drivers/foo/fw.bin".
        var numstat = _repo.Git("show", "--numstat", "--format=", fix.Sha).Trim().Split('\n');
        Assert.Equal(["-\t-\tdrivers/foo/fw.bin", "0\t1\tdrivers/foo/Makefile", "2\t0\tdrivers/foo/foo.c"], numstat.Order(StringComparer.Ordinal));
        Assert.Equal(["\tif (!f->buf)", "\t\treturn -ENOMEM;"], diff.Files[1].Added);
        Assert.Empty(diff.Files[1].Removed);
        Assert.Equal(["obj-y += foo.o"], diff.Files[0].Removed);
        Assert.Empty(diff.Files[2].Added); // binary: no lines
        // A root commit is read against the empty tree.
        Assert.Equal(6, reader.Read(root.Sha).Files.Single(f => f.Path == "drivers/foo/foo.c").Added.Count);
    }

    [Fact]
    public void A_commit_the_clone_lacks_resolves_to_nothing()
    {
        var commit = _repo.Commit(KernelRepository.Ada, "2024-03-01T10:00:00Z", "foo: add", ("drivers/foo/foo.c", Before));
        using var reader = FixDiffReader.Open(_repo.Path);
        Assert.Null(reader.Resolve("0123456789abcdef0123456789abcdef01234567"));
        // A blob's id is no commit.
        Assert.Null(reader.Resolve(commit.Tree["drivers/foo/foo.c"].Target.Sha));
        Assert.Equal(commit.Sha, reader.Head);
    }

    [Fact]
    public void A_directory_that_is_no_repository_is_named()
    {
        var plain = Directory.CreateTempSubdirectory("oxidation-not-git-").FullName;
        try
        {
            var ex = Assert.Throws<SourceTreeException>(() => FixDiffReader.Open(plain));
            Assert.Equal($"{plain}: not a git repository", ex.Message);
        }
        finally
        {
            Directory.Delete(plain);
        }
    }
}

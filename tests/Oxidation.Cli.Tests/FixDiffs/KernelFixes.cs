using System.Diagnostics;
using System.Text.Json;

namespace Oxidation.Cli.Tests.FixDiffs;

/// <summary>
/// A kernel-like clone built in the test (fixed identities and dates, so its commit ids are stable) whose commits are fixes
/// written the way kernel fixes are, and a <c>vulns</c>-layout directory of CVE records (the layout of the 2026-08-21
/// snapshot's records: cveMetadata, containers.cna with descriptions, affected, references, title) referencing them, one
/// referencing a commit the clone lacks. Each fix is labelled with the class its diff plainly shows (<see cref="Labels"/>).
/// </summary>
public sealed class KernelFixes : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("oxidation-fixdiff-");

    /// <summary>A commit id no object of the clone has.</summary>
    public const string Absent = "0123456789abcdef0123456789abcdef01234567";

    public KernelFixes()
    {
        Repository = _work.CreateSubdirectory("linux").FullName;
        Records = _work.CreateSubdirectory("vulns").FullName;
        Git("2024-01-07T10:00:00Z", "init", "--quiet", "--initial-branch=master");
        foreach (var fix in Fixes)
            Write(fix.Path, fix.Before);
        Write("Makefile", "VERSION = 6\nPATCHLEVEL = 8\n");
        Git("2024-01-07T10:00:00Z", "add", ".");
        Commit("2024-01-07T10:00:00Z", "Linux 6.8-rc1");
        var introduced = Head();
        var day = 8;
        foreach (var fix in Fixes)
        {
            Write(fix.Path, fix.After);
            var date = $"2024-01-{day++:00}T10:00:00Z";
            Git(date, "add", ".");
            Commit(date, $"{fix.Subject}\n\n{fix.Body}\n\nSigned-off-by: Ada Lovelace <ada@example.org>");
            Shas[fix.Id] = Head();
        }
        Shas[Missing.Id] = Absent;
        foreach (var fix in Fixes.Append(Missing))
            WriteRecord(fix, introduced, Shas[fix.Id]);
    }

    /// <summary>The clone.</summary>
    public string Repository { get; }

    /// <summary>The records, in the vulns layout (<c>cve/published/2024/…</c>).</summary>
    public string Records { get; }

    /// <summary>The fix commit of each record, by CVE id (the missing one: <see cref="Absent"/>).</summary>
    public Dictionary<string, string> Shas { get; } = [];

    public string Work => _work.FullName;

    public void Dispose() => _work.Delete(recursive: true);

    /// <summary>The class each record's fix plainly shows (by reading the diff), for the records whose fix the clone has.</summary>
    public static IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["CVE-2024-50001"] = "null-deref",
        ["CVE-2024-50002"] = "out-of-bounds",
        ["CVE-2024-50003"] = "use-after-free",
        ["CVE-2024-50004"] = "memory-leak",
        ["CVE-2024-50005"] = "data-race",
        ["CVE-2024-50006"] = "uninitialized",
        ["CVE-2024-50007"] = "use-after-free",
        ["CVE-2024-50008"] = "logic",
    };

    public sealed record Fix(string Id, string Path, string Subject, string Body, string Before, string After);

    public static readonly Fix Missing = new("CVE-2024-50009", "drivers/infiniband/hw/foo/foo_qp.c",
        "RDMA/foo: report the queue pair state the firmware returned",
        "foo_query_qp() reported the state cached at creation rather than the one the firmware returned,\nso user space saw a queue pair in RTS after the firmware had moved it to ERR.", "", "");

    public static readonly Fix[] Fixes =
    [
        new("CVE-2024-50001", "drivers/gpu/drm/vmwgfx/vmwgfx_surface.c",
            "drm/vmwgfx: check the surface lookup in the reference ioctl",
            "vmw_surface_lookup() finds nothing for a handle that user space has already\ndestroyed, and vmw_surface_reference_ioctl() goes on to read the size and the\nflags through what it returned. Return -EINVAL when the lookup finds nothing.",
            """
            // SPDX-License-Identifier: GPL-2.0 OR MIT
            #include "vmwgfx_drv.h"

            int vmw_surface_reference_ioctl(struct drm_device *dev, void *data,
            				struct drm_file *file_priv)
            {
            	struct drm_vmw_surface_arg *arg = data;
            	struct vmw_user_surface *user_srf;
            	struct vmw_surface *srf;

            	srf = vmw_surface_lookup(file_priv, arg->sid);
            	user_srf = container_of(srf, struct vmw_user_surface, srf);
            	arg->size = user_srf->size;
            	arg->flags = srf->flags;

            	return 0;
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0 OR MIT
            #include "vmwgfx_drv.h"

            int vmw_surface_reference_ioctl(struct drm_device *dev, void *data,
            				struct drm_file *file_priv)
            {
            	struct drm_vmw_surface_arg *arg = data;
            	struct vmw_user_surface *user_srf;
            	struct vmw_surface *srf;

            	srf = vmw_surface_lookup(file_priv, arg->sid);
            	if (!srf)
            		return -EINVAL;
            	user_srf = container_of(srf, struct vmw_user_surface, srf);
            	arg->size = user_srf->size;
            	arg->flags = srf->flags;

            	return 0;
            }

            """),
        new("CVE-2024-50002", "drivers/net/dsa/foo/foo_vlan.c",
            "net: dsa: foo: validate the port before counting its VLANs",
            "The port number comes from the switch tree description and indexes\npriv->vlan_count[], which has room for FOO_MAX_PORTS entries. A tree that\ndescribes more ports makes foo_port_vlan_add() count into the member that\nfollows the array. Refuse such ports.",
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <net/dsa.h>
            #include "foo.h"

            static int foo_port_vlan_add(struct dsa_switch *ds, int port,
            			     const struct switchdev_obj_port_vlan *vlan)
            {
            	struct foo_priv *priv = ds->priv;
            	struct foo_vlan_slot *slot;

            	slot = &priv->slots[vlan->vid % FOO_NUM_VLAN_SLOTS];
            	slot->vid = vlan->vid;
            	slot->flags = vlan->flags;
            	priv->vlan_count[port]++;

            	return foo_write_vlan_table(priv, port, slot);
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <net/dsa.h>
            #include "foo.h"

            static int foo_port_vlan_add(struct dsa_switch *ds, int port,
            			     const struct switchdev_obj_port_vlan *vlan)
            {
            	struct foo_priv *priv = ds->priv;
            	struct foo_vlan_slot *slot;

            	if (port >= ARRAY_SIZE(priv->vlan_count))
            		return -EINVAL;

            	slot = &priv->slots[vlan->vid % FOO_NUM_VLAN_SLOTS];
            	slot->vid = vlan->vid;
            	slot->flags = vlan->flags;
            	priv->vlan_count[port]++;

            	return foo_write_vlan_table(priv, port, slot);
            }

            """),
        new("CVE-2024-50003", "drivers/net/ovpn/peer.c",
            "ovpn: release the socket before dropping the peer",
            "ovpn_peer_release_p2p() drops its reference to the peer first and then still\nreleases the peer's socket and records the reason in the peer. When that was\nthe last reference, both act on an object that is gone. Drop the reference last.",
            """
            // SPDX-License-Identifier: GPL-2.0
            #include "ovpnpriv.h"
            #include "peer.h"

            void ovpn_peer_release_p2p(struct ovpn_priv *ovpn, struct sock *sk,
            			   enum ovpn_del_peer_reason reason)
            {
            	struct ovpn_peer *peer;

            	spin_lock_bh(&ovpn->lock);
            	peer = rcu_dereference_protected(ovpn->peer,
            					 lockdep_is_held(&ovpn->lock));
            	if (!peer) {
            		spin_unlock_bh(&ovpn->lock);
            		return;
            	}
            	RCU_INIT_POINTER(ovpn->peer, NULL);
            	spin_unlock_bh(&ovpn->lock);

            	ovpn_peer_put(peer);
            	ovpn_socket_release(peer);
            	peer->delete_reason = reason;
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0
            #include "ovpnpriv.h"
            #include "peer.h"

            void ovpn_peer_release_p2p(struct ovpn_priv *ovpn, struct sock *sk,
            			   enum ovpn_del_peer_reason reason)
            {
            	struct ovpn_peer *peer;

            	spin_lock_bh(&ovpn->lock);
            	peer = rcu_dereference_protected(ovpn->peer,
            					 lockdep_is_held(&ovpn->lock));
            	if (!peer) {
            		spin_unlock_bh(&ovpn->lock);
            		return;
            	}
            	RCU_INIT_POINTER(ovpn->peer, NULL);
            	spin_unlock_bh(&ovpn->lock);

            	ovpn_socket_release(peer);
            	peer->delete_reason = reason;
            	ovpn_peer_put(peer);
            }

            """),
        new("CVE-2024-50004", "drivers/staging/foo/foo_fw.c",
            "staging: foo: give the chunk buffer back when the firmware is missing",
            "foo_load_firmware() returns early when request_firmware() fails, and the\nchunk buffer allocated just before it is never given back. Every probe\nwithout the firmware file present loses another FOO_FW_CHUNK bytes.",
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <linux/firmware.h>
            #include <linux/slab.h>
            #include "foo.h"

            static int foo_load_firmware(struct foo_dev *fdev)
            {
            	const struct firmware *fw;
            	u8 *buf;
            	int ret;

            	buf = kmalloc(FOO_FW_CHUNK, GFP_KERNEL);
            	if (!buf)
            		return -ENOMEM;

            	ret = request_firmware(&fw, FOO_FW_NAME, fdev->dev);
            	if (ret)
            		return ret;

            	memcpy(buf, fw->data, fw->size);
            	ret = foo_write_chunk(fdev, buf, FOO_FW_CHUNK);
            	release_firmware(fw);
            	kfree(buf);
            	return ret;
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <linux/firmware.h>
            #include <linux/slab.h>
            #include "foo.h"

            static int foo_load_firmware(struct foo_dev *fdev)
            {
            	const struct firmware *fw;
            	u8 *buf;
            	int ret;

            	buf = kmalloc(FOO_FW_CHUNK, GFP_KERNEL);
            	if (!buf)
            		return -ENOMEM;

            	ret = request_firmware(&fw, FOO_FW_NAME, fdev->dev);
            	if (ret) {
            		kfree(buf);
            		return ret;
            	}

            	memcpy(buf, fw->data, fw->size);
            	ret = foo_write_chunk(fdev, buf, FOO_FW_CHUNK);
            	release_firmware(fw);
            	kfree(buf);
            	return ret;
            }

            """),
        new("CVE-2024-50005", "drivers/usb/gadget/function/u_foo.c",
            "usb: gadget: u_foo: update the port state under the port lock",
            "foo_set_state() is called from the interrupt handler and from the ioctl\npath, and both update the state and the transition counter that readers\nsample under the port lock. Take the port lock around the update too.",
            """
            // SPDX-License-Identifier: GPL-2.0+
            #include <linux/spinlock.h>
            #include "u_foo.h"

            static void foo_set_state(struct foo_port *port, enum foo_state state)
            {
            	port->state = state;
            	port->transitions++;
            	if (state == FOO_STATE_CONNECTED)
            		port->connected_at = jiffies;
            	wake_up_interruptible(&port->wait);
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0+
            #include <linux/spinlock.h>
            #include "u_foo.h"

            static void foo_set_state(struct foo_port *port, enum foo_state state)
            {
            	unsigned long flags;

            	spin_lock_irqsave(&port->lock, flags);
            	port->state = state;
            	port->transitions++;
            	if (state == FOO_STATE_CONNECTED)
            		port->connected_at = jiffies;
            	spin_unlock_irqrestore(&port->lock, flags);
            	wake_up_interruptible(&port->wait);
            }

            """),
        new("CVE-2024-50006", "net/sched/act_foo.c",
            "net/sched: act_foo: zero the whole dump structure",
            "struct tc_foo has a hole after the action field and a reserved member that\ntcf_foo_dump() never sets, so four bytes of the heap reach user space with\nevery dump of the action.",
            """
            // SPDX-License-Identifier: GPL-2.0-or-later
            #include <linux/slab.h>
            #include <net/act_api.h>
            #include "act_foo.h"

            static int tcf_foo_dump(struct sk_buff *skb, struct tc_action *a,
            			int bind, int ref)
            {
            	struct tcf_foo *p = to_foo(a);
            	struct tc_foo *opt;
            	int ret;

            	opt = kmalloc(sizeof(*opt), GFP_KERNEL);
            	if (!opt)
            		return -ENOMEM;
            	opt->index = p->tcf_index;
            	opt->action = p->tcf_action;
            	opt->refcnt = refcount_read(&p->tcf_refcnt) - ref;
            	ret = nla_put(skb, TCA_FOO_PARMS, sizeof(*opt), opt);
            	kfree(opt);
            	return ret;
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0-or-later
            #include <linux/slab.h>
            #include <net/act_api.h>
            #include "act_foo.h"

            static int tcf_foo_dump(struct sk_buff *skb, struct tc_action *a,
            			int bind, int ref)
            {
            	struct tcf_foo *p = to_foo(a);
            	struct tc_foo *opt;
            	int ret;

            	opt = kzalloc(sizeof(*opt), GFP_KERNEL);
            	if (!opt)
            		return -ENOMEM;
            	opt->index = p->tcf_index;
            	opt->action = p->tcf_action;
            	opt->refcnt = refcount_read(&p->tcf_refcnt) - ref;
            	ret = nla_put(skb, TCA_FOO_PARMS, sizeof(*opt), opt);
            	kfree(opt);
            	return ret;
            }

            """),
        new("CVE-2024-50007", "drivers/misc/bar/bar_core.c",
            "misc: bar: fix use-after-free in bar_remove()",
            "bar_remove() releases the device data while the interrupt, requested with\ndevm, can still fire and run bar_irq() on it. Free the interrupt first.",
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <linux/interrupt.h>
            #include <linux/platform_device.h>
            #include "bar.h"

            static void bar_remove(struct platform_device *pdev)
            {
            	struct bar_priv *priv = platform_get_drvdata(pdev);

            	bar_hw_disable(priv);
            	bar_release_data(priv);
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <linux/interrupt.h>
            #include <linux/platform_device.h>
            #include "bar.h"

            static void bar_remove(struct platform_device *pdev)
            {
            	struct bar_priv *priv = platform_get_drvdata(pdev);

            	devm_free_irq(&pdev->dev, priv->irq, priv);
            	bar_hw_disable(priv);
            	bar_release_data(priv);
            }

            """),
        new("CVE-2024-50008", "sound/soc/foo/foo-pcm.c",
            "ASoC: foo: wait for the capture flush to complete before stopping",
            "foo_pcm_trigger() asked the DSP for an asynchronous flush and stopped the\nstream at once, so the last period of a capture was handed to user space\nbefore the DSP had written it.",
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <sound/soc.h>
            #include "foo-dsp.h"

            static int foo_pcm_trigger(struct snd_soc_component *component,
            			   struct snd_pcm_substream *substream, int cmd)
            {
            	struct foo_stream *fs = substream->runtime->private_data;

            	switch (cmd) {
            	case SNDRV_PCM_TRIGGER_STOP:
            		foo_dsp_flush(fs->dsp, fs->id, FOO_FLUSH_ASYNC);
            		return foo_dsp_stop(fs->dsp, fs->id);
            	default:
            		return foo_dsp_trigger(fs->dsp, fs->id, cmd);
            	}
            }

            """,
            """
            // SPDX-License-Identifier: GPL-2.0
            #include <sound/soc.h>
            #include "foo-dsp.h"

            static int foo_pcm_trigger(struct snd_soc_component *component,
            			   struct snd_pcm_substream *substream, int cmd)
            {
            	struct foo_stream *fs = substream->runtime->private_data;

            	switch (cmd) {
            	case SNDRV_PCM_TRIGGER_STOP:
            		foo_dsp_flush(fs->dsp, fs->id, FOO_FLUSH_SYNC);
            		return foo_dsp_stop(fs->dsp, fs->id);
            	default:
            		return foo_dsp_trigger(fs->dsp, fs->id, cmd);
            	}
            }

            """),
    ];

    private void Write(string relative, string text)
    {
        if (text.Length == 0)
            return;
        var path = System.IO.Path.Combine(Repository, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>A record laid out as the CNA writes them (cf. cve/published/2024/CVE-2024-26600.json of the snapshot).</summary>
    private void WriteRecord(Fix fix, string introduced, string sha)
    {
        var record = new Dictionary<string, object>
        {
            ["containers"] = new Dictionary<string, object>
            {
                ["cna"] = new Dictionary<string, object>
                {
                    ["providerMetadata"] = new { orgId = "f4215fc3-5b6b-47ff-a258-f7189bd81038" },
                    ["descriptions"] = new[]
                    {
                        new { lang = "en", value = $"In the Linux kernel, the following vulnerability has been resolved:\n\n{fix.Subject}\n\n{fix.Body}" },
                    },
                    ["affected"] = new object[]
                    {
                        new
                        {
                            product = "Linux", vendor = "Linux", defaultStatus = "unaffected",
                            repo = "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git",
                            programFiles = new[] { fix.Path },
                            versions = new[] { new { version = introduced, lessThan = sha, status = "affected", versionType = "git" } },
                        },
                        new
                        {
                            product = "Linux", vendor = "Linux", defaultStatus = "affected",
                            repo = "https://git.kernel.org/pub/scm/linux/kernel/git/stable/linux.git",
                            programFiles = new[] { fix.Path },
                            versions = new object[]
                            {
                                new { version = "6.8", status = "affected" },
                                new { version = "0", lessThan = "6.8", status = "unaffected", versionType = "semver" },
                                new { version = "6.8", lessThanOrEqual = "*", status = "unaffected", versionType = "original_commit_for_fix" },
                            },
                        },
                    },
                    ["references"] = new[] { new { url = $"https://git.kernel.org/stable/c/{sha}" } },
                    ["title"] = fix.Subject,
                    ["x_generator"] = new { engine = "bippy-1.2.0" },
                },
            },
            ["cveMetadata"] = new { assignerOrgId = "f4215fc3-5b6b-47ff-a258-f7189bd81038", cveId = fix.Id, state = "PUBLISHED" },
            ["dataType"] = "CVE_RECORD",
            ["dataVersion"] = "5.1.1",
        };
        var path = System.IO.Path.Combine(Records, "cve", "published", "2024", fix.Id + ".json");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(record, Indented));
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private void Commit(string date, string message) =>
        Git(date, "-c", "user.name=Ada Lovelace", "-c", "user.email=ada@example.org", "commit", "--quiet", "-m", message);

    private string Head()
    {
        var start = new ProcessStartInfo("git", ["-C", Repository, "rev-parse", "HEAD"]) { RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        var sha = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return sha;
    }

    private void Git(string date, params string[] args) => GitProcess.Run(Repository, date, args);
}

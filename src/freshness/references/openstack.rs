//! `openstack` commands: the object a command acts on (`server show web1`,
//! `router add subnet r s`) and the resources its options name (`--flavor`,
//! `--network`, `--nic net-id=…`), scoped to `--os-cloud` when given.

use super::{Origin, Reference, long_flag};
use crate::freshness::resource::{Platform, ResourceRef, is_openstack_name, openstack_kind};

const OS_VALUE_FLAGS: &[&str] = &[
    "format",
    "column",
    "max-width",
    "sort-column",
    "quote",
    "prefix",
    "flavor",
    "image",
    "network",
    "nic",
    "volume",
    "snapshot",
    "security-group",
    "key-name",
    "availability-zone",
    "host",
    "property",
    "description",
    "size",
    "type",
    "status",
    "state",
    "project",
    "project-domain",
    "user",
    "user-domain",
    "domain",
    "subnet",
    "port",
    "fixed-ip",
    "fixed-ip-address",
    "floating-ip-address",
    "external-gateway",
    "source",
    "disk-format",
    "container-format",
    "file",
    "min-disk",
    "min-ram",
    "ram",
    "disk",
    "vcpus",
    "ephemeral",
    "swap",
    "rxtx-factor",
    "id",
    "name",
    "tag",
    "tags",
    "limit",
    "marker",
    "sort",
    "service",
    "agent-type",
    "binary",
    "zone",
    "reason",
    "hint",
    "user-data",
    "config-drive",
    "min",
    "max",
    "block-device-mapping",
    "block-device",
    "boot-from-volume",
    "provider-network-type",
    "provider-physical-network",
    "provider-segment",
    "mtu",
    "dns-nameserver",
    "allocation-pool",
    "gateway",
    "subnet-range",
    "ip-version",
    "protocol",
    "dst-port",
    "remote-ip",
    "remote-group",
    "ethertype",
    "server",
    "device",
    "device-owner",
    "mac-address",
    "router",
    "qos-policy",
    "visibility",
    "public-key",
    "private-key",
    "password",
    "root-password",
    "admin-pass",
    "timeout",
    "interface",
    "region",
    "changes-since",
    "ip",
    "ip6",
    "instance-name",
    "image-property",
    "lock-reason",
    "route",
    "fixed-address",
    "address",
    "dns-domain",
    "dns-name",
    "storage-policy",
    "os-cloud",
    "hypervisor",
    "migration-type",
];

/// Objects of the `openstack` client that are not the checked kinds even
/// though their first word is (`server group`, `volume snapshot`, …).
const OS_SUB_OBJECTS: &[(&str, &[&str])] = &[
    (
        "server",
        &[
            "group",
            "event",
            "migration",
            "image",
            "backup",
            "volume",
            "dump",
            "console",
            "share",
        ],
    ),
    (
        "volume",
        &[
            "snapshot",
            "backup",
            "type",
            "transfer",
            "qos",
            "service",
            "host",
            "attachment",
            "group",
            "message",
            "summary",
            "backend",
            "revert",
        ],
    ),
    (
        "network",
        &[
            "agent", "qos", "segment", "rbac", "flavor", "meter", "trunk", "auto", "log", "service", "l3",
            "ip", "subport",
        ],
    ),
    ("image", &["member", "metadef", "task", "stage", "import"]),
    ("subnet", &["pool"]),
    ("router", &["ndp"]),
    ("flavor", &[]),
];

/// The references of an `openstack` command with `args`. `list` and `create`
/// name no object: the name `create` gives is a new one.
pub(super) fn extract(args: &[String], line: usize, out: &mut Vec<Reference>) {
    let mut pos: Vec<&str> = Vec::new();
    let mut cloud = None;
    let mut options: Vec<(&str, String)> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        if let Some(long) = w.strip_prefix("--") {
            let (name, value) = long_flag(long, args, &mut i, |n| {
                OS_VALUE_FLAGS.contains(&n) || n.starts_with("os-")
            });
            if let Some(v) = value {
                if name == "os-cloud" {
                    cloud = Some(v).filter(|c| is_openstack_name(c));
                } else {
                    options.push((name, v));
                }
            }
        } else if w.len() > 1 && w.starts_with('-') {
            if matches!(w.as_str(), "-f" | "-c") {
                i += 1;
            }
        } else {
            pos.push(w.as_str());
        }
    }
    let mut push = |kind: &str, name: &str| {
        if is_openstack_name(name) {
            out.push(Reference::found(
                ResourceRef {
                    platform: Platform::OpenStack,
                    scope: cloud.clone(),
                    kind: kind.into(),
                    namespace: None,
                    name: name.into(),
                },
                line,
                Origin::Command,
            ));
        }
    };
    for (name, value) in &options {
        match *name {
            "flavor" => push("flavor", value),
            "image" => push("image", value),
            "network" | "external-gateway" => push("network", value),
            "subnet" => push("subnet", value),
            "security-group" => push("security_group", value),
            "volume" => push("volume", value),
            "nic" => {
                for part in value.split(',') {
                    if let Some(id) = part
                        .strip_prefix("net-id=")
                        .or_else(|| part.strip_prefix("net-name="))
                    {
                        push("network", id);
                    }
                }
            }
            _ => {}
        }
    }
    // The object: `server`, `security group`, `floating ip`, …
    let (kind, rest) = match pos.as_slice() {
        ["security", "group", "rule", ..] => return,
        ["security", "group", rest @ ..] => ("security_group", rest),
        ["floating", "ip", "create", network, ..] => {
            push("network", network);
            return;
        }
        [first, rest @ ..] => match OS_SUB_OBJECTS.iter().find(|(o, _)| o == first) {
            Some((_, subs)) if rest.first().is_some_and(|s| subs.contains(s)) => return,
            Some(_) => match openstack_kind(first) {
                Some(k) => (k, rest),
                None => return,
            },
            None => return,
        },
        [] => return,
    };
    let Some((action, names)) = rest.split_first() else {
        return;
    };
    match *action {
        "list" | "create" => {}
        "add" | "remove" => {
            let (sub, args): (Option<&str>, &[&str]) = match names {
                ["security", "group", a @ ..] => (Some("security_group"), a),
                ["fixed", "ip", a @ ..] => (Some("network"), a),
                ["floating", "ip", a @ ..] => (None, a),
                ["volume", a @ ..] => (Some("volume"), a),
                ["network", a @ ..] => (Some("network"), a),
                ["subnet", a @ ..] => (Some("subnet"), a),
                [_, a @ ..] => (None, a),
                [] => return,
            };
            if let Some(main) = args.first() {
                push(kind, main);
            }
            if let (Some(sub), Some(name)) = (sub, args.get(1)) {
                push(sub, name);
            }
        }
        _ => {
            let names = match names.first() {
                Some(&("confirm" | "revert" | "abort" | "force")) => &names[1..],
                _ => names,
            };
            for n in names {
                push(kind, n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::freshness::references::tests::names;

    #[test]
    fn openstack_commands() {
        assert_eq!(
            names("bash", "openstack flavor show a2-ram4-disk20-perf1 -f json"),
            vec!["openstack flavor/a2-ram4-disk20-perf1"]
        );
        assert_eq!(
            names(
                "bash",
                "openstack server create --flavor a2-ram4 --image debian-12 --network provider-ext web1"
            ),
            vec![
                "openstack flavor/a2-ram4",
                "openstack image/debian-12",
                "openstack network/provider-ext"
            ]
        );
        assert_eq!(
            names(
                "bash",
                "openstack --os-cloud nuage router add subnet r-main sub-main"
            ),
            vec![
                "openstack router/r-main @nuage",
                "openstack subnet/sub-main @nuage"
            ]
        );
        assert_eq!(
            names("bash", "openstack security group show web"),
            vec!["openstack security-group/web"]
        );
        assert_eq!(
            names("bash", "openstack floating ip create provider-ext"),
            vec!["openstack network/provider-ext"]
        );
        for none in [
            "openstack server show <server>",
            "openstack server list --all-projects --status ERROR",
            "openstack volume snapshot show snap1",
            "openstack server group list",
            "openstack network agent list --host net-1",
            "openstack server show $SERVER_ID",
            "openstack compute service list --service nova-compute",
        ] {
            assert!(names("bash", none).is_empty(), "{none}");
        }
    }
}

//! The built-in port list: service names, and the order `--top N` takes them in.
//!
//! The first 100 entries of [`TOP_ORDER`] follow nmap's published TCP frequency ranking (its
//! `--top-ports 100`), with nmap-services' names; the rest are infrastructure ports a fleet of
//! model servers commonly runs (databases, queues, observability, orchestration, model servers).
//! Ports outside the table are named `unknown`.

/// Service names, sorted by port (binary-searched).
pub const SERVICES: &[(u16, &str)] = &[
    (7, "echo"),
    (9, "discard"),
    (13, "daytime"),
    (21, "ftp"),
    (22, "ssh"),
    (23, "telnet"),
    (25, "smtp"),
    (26, "rsftp"),
    (37, "time"),
    (53, "domain"),
    (79, "finger"),
    (80, "http"),
    (81, "hosts2-ns"),
    (88, "kerberos-sec"),
    (106, "pop3pw"),
    (110, "pop3"),
    (111, "rpcbind"),
    (113, "ident"),
    (119, "nntp"),
    (135, "msrpc"),
    (139, "netbios-ssn"),
    (143, "imap"),
    (144, "news"),
    (179, "bgp"),
    (199, "smux"),
    (389, "ldap"),
    (427, "svrloc"),
    (443, "https"),
    (444, "snpp"),
    (445, "microsoft-ds"),
    (465, "smtps"),
    (513, "login"),
    (514, "shell"),
    (515, "printer"),
    (543, "klogin"),
    (544, "kshell"),
    (548, "afp"),
    (554, "rtsp"),
    (587, "submission"),
    (631, "ipp"),
    (646, "ldp"),
    (873, "rsync"),
    (990, "ftps"),
    (993, "imaps"),
    (995, "pop3s"),
    (1025, "NFS-or-IIS"),
    (1026, "LSA-or-nterm"),
    (1027, "IIS"),
    (1028, "unknown"),
    (1029, "ms-lsa"),
    (1110, "nfsd-status"),
    (1433, "ms-sql-s"),
    (1521, "oracle"),
    (1720, "h323q931"),
    (1723, "pptp"),
    (1755, "wms"),
    (1883, "mqtt"),
    (1900, "upnp"),
    (2000, "cisco-sccp"),
    (2001, "dc"),
    (2049, "nfs"),
    (2121, "ccproxy-ftp"),
    (2375, "docker"),
    (2376, "docker-s"),
    (2379, "etcd-client"),
    (2380, "etcd-server"),
    (2717, "pn-requester"),
    (3000, "ppp"),
    (3128, "squid-http"),
    (3306, "mysql"),
    (3389, "ms-wbt-server"),
    (3986, "mapper-ws_ethd"),
    (4222, "nats"),
    (4317, "otlp-grpc"),
    (4318, "otlp-http"),
    (4899, "radmin"),
    (5000, "upnp"),
    (5009, "airport-admin"),
    (5044, "beats"),
    (5051, "ida-agent"),
    (5060, "sip"),
    (5101, "admdog"),
    (5190, "aol"),
    (5357, "wsdapi"),
    (5432, "postgresql"),
    (5601, "kibana"),
    (5631, "pcanywheredata"),
    (5666, "nrpe"),
    (5672, "amqp"),
    (5800, "vnc-http"),
    (5900, "vnc"),
    (6000, "X11"),
    (6001, "X11:1"),
    (6006, "tensorboard"),
    (6379, "redis"),
    (6443, "kubernetes-api"),
    (6646, "unknown"),
    (7070, "realserver"),
    (7860, "gradio"),
    (8000, "http-alt"),
    (8008, "http"),
    (8009, "ajp13"),
    (8080, "http-proxy"),
    (8081, "blackice-icecap"),
    (8086, "influxdb"),
    (8200, "vault"),
    (8265, "ray-dashboard"),
    (8443, "https-alt"),
    (8500, "consul"),
    (8501, "streamlit"),
    (8883, "secure-mqtt"),
    (8888, "sun-answerbook"),
    (9000, "cslistener"),
    (9042, "cassandra"),
    (9090, "prometheus"),
    (9092, "kafka"),
    (9093, "alertmanager"),
    (9100, "jetdirect"),
    (9200, "elasticsearch"),
    (9999, "abyss"),
    (10000, "snet-sensor-mgmt"),
    (10250, "kubelet"),
    (11211, "memcache"),
    (11434, "ollama"),
    (15672, "rabbitmq-mgmt"),
    (16686, "jaeger"),
    (26257, "cockroachdb"),
    (27017, "mongodb"),
    (32768, "filenet-tms"),
    (49152, "unknown"),
    (49153, "unknown"),
    (49154, "unknown"),
    (49155, "unknown"),
    (49156, "unknown"),
    (49157, "unknown"),
    (50051, "grpc"),
];

/// The order `--top N` takes ports in: most common first.
pub const TOP_ORDER: &[u16] = &[
    // nmap's top 100 TCP ports, by frequency.
    80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993,
    5900, 1025, 587, 8888, 199, 1720, 465, 548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000,
    8443, 8000, 32768, 554, 26, 1433, 49152, 2001, 515, 8008, 49154, 1027, 5666, 646, 5000, 5631,
    631, 49153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49155, 6000, 513, 990, 5357, 427, 49156,
    543, 544, 5101, 144, 7, 389, 8009, 3128, 444, 9999, 5009, 7070, 5190, 3000, 5432, 1900, 3986,
    13, 1029, 9, 5051, 6646, 49157, 1028, 873, 1755, 2717, 4899, 9100, 119, 37,
    // Fleet infrastructure.
    6379, 27017, 9200, 11211, 2379, 2380, 6443, 10250, 9090, 9093, 9092, 5672, 15672, 4222, 8500,
    8200, 4317, 4318, 16686, 8086, 5601, 5044, 9042, 26257, 1521, 1883, 8883, 2375, 2376, 9000,
    11434, 8265, 6006, 7860, 8501, 50051,
];

/// The service name of a port: the built-in table's, else `unknown`.
pub fn service_name(port: u16) -> &'static str {
    match SERVICES.binary_search_by_key(&port, |&(p, _)| p) {
        Ok(i) => SERVICES[i].1,
        Err(_) => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_distinct() {
        for pair in SERVICES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{:?} before {:?}", pair[0], pair[1]);
        }
    }

    #[test]
    fn every_top_port_is_named_once() {
        let mut seen = std::collections::BTreeSet::new();
        for &p in TOP_ORDER {
            assert!(seen.insert(p), "port {p} listed twice");
            assert!(
                SERVICES.iter().any(|&(q, _)| q == p),
                "port {p} has no table entry"
            );
        }
        assert_eq!(
            seen.len(),
            SERVICES.len(),
            "table entries missing from the order"
        );
    }

    #[test]
    fn names() {
        assert_eq!(service_name(22), "ssh");
        assert_eq!(service_name(443), "https");
        assert_eq!(service_name(6379), "redis");
        assert_eq!(service_name(50051), "grpc");
        assert_eq!(service_name(7), "echo");
        assert_eq!(service_name(1), "unknown");
        assert_eq!(service_name(65535), "unknown");
    }
}

@load restricted-outgoing
@load policy/frameworks/notice/community-id
const my_threshold = 5;
redef RestrictedOutgoing::restricted_outgoing_networks = { 192.168.4.0/24, printers.example.org };
redef RestrictedOutgoing::allowed_outgoing_dsts += { updates.example.com, 72.246.0.0/15 };
redef RestrictedOutgoing::allowed_outgoing_network_service_pairs += {
	[192.168.4.7/32, 25/tcp],
	[192.168.4.8/32, 132/sctp],
	[192.168.4.9/32],
};
redef RestrictedOutgoing::restricted_connection_timeout = 120 fortnights;
redef Notice::emailed_types += { RestrictedOutgoing::UnexpectedOutgoingConnection };
event new_connection(c: connection) {
	print c$id;
}
redef RestrictedOutgoing::allowed_outgoing_dst_pairs += { [192.168.4.23, www.business-partner.com] };

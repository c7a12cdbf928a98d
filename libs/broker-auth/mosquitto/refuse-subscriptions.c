/*
 * Mosquitto 2.0 plugin: refuses every SUBSCRIBE on the listener it is loaded for (SUBACK 0x87 Not authorized
 * in MQTT 5, 0x80 Failure in MQTT 3.1.1). Loaded for the device listener only: devices write their telemetry
 * and read nothing.
 *
 * Why a plugin and not the ACL file: Mosquitto 2.0's acl_file check answers every SUBSCRIBE and UNSUBSCRIBE
 * with success before it looks at the file (src/security_default.c, mosquitto_acl_check_default: "FIXME -
 * implement ACL subscription strings"), and src/security.c (acl__check_dollar) lets any `$share/...`
 * subscription through. The file only filters messages at delivery, and a shared subscription's turn is
 * taken before that filter: a device in ingestion's share group received its turn of every car's telemetry,
 * which the read ACL then dropped. No `topic`, `pattern` or `deny` line changes that. The one plugin the
 * Debian package and the eclipse-mosquitto image ship, dynamic security, defers (allows, with acl_file
 * behind it) for any username it does not hold itself and does not re-read its file on SIGHUP, so it would
 * have to own every device login.
 *
 * Plugin callbacks run before the acl_file check (mosquitto_security_init registers them first), so the
 * refusal here is final; reads and writes are deferred to acl_file, which keeps each device to its own
 * vehicle's topic.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

static int refuse_subscribe(int event, void *event_data, void *userdata)
{
	const struct mosquitto_evt_acl_check *check = event_data;

	(void)event;
	(void)userdata;
	return check->access == MOSQ_ACL_SUBSCRIBE ? MOSQ_ERR_ACL_DENIED : MOSQ_ERR_PLUGIN_DEFER;
}

int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
	for(int i = 0; i < supported_version_count; i++){
		if(supported_versions[i] == 5) return 5;
	}
	return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **userdata, struct mosquitto_opt *options, int option_count)
{
	(void)options;
	(void)option_count;
	*userdata = identifier;
	return mosquitto_callback_register(identifier, MOSQ_EVT_ACL_CHECK, refuse_subscribe, NULL, NULL);
}

int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *options, int option_count)
{
	(void)options;
	(void)option_count;
	return mosquitto_callback_unregister(userdata, MOSQ_EVT_ACL_CHECK, refuse_subscribe, NULL);
}

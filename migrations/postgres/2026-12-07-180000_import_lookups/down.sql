DROP INDEX messages_external;
DROP INDEX events_external;

#!/usr/bin/env bash
# Prepares this machine's database servers for the opportunistic tests:
# the conventional OpenStack CI account openstack_citest (password
# openstack_citest) with its own database on MariaDB/MySQL and PostgreSQL.
# oslo.db's test fixtures then create a fresh, randomly named database per
# test run under that account. Safe to run more than once.
set -eu

DB_USER=openstack_citest
DB_PW=openstack_citest

start_services() {
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        pg_isready -h 127.0.0.1 -q 2>/dev/null || \
            pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
    fi
    if [ -x /usr/sbin/mariadbd ]; then
        mysqladmin -uroot --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1 || \
            start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
    fi
    if command -v rabbitmq-server >/dev/null 2>&1; then
        rabbitmqctl -q status >/dev/null 2>&1 || rabbitmq-server -detached || true
    fi
}

wait_for() {
    local what=$1; shift
    for _ in $(seq 1 60); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 1
    done
    echo "test-setup: $what did not come up" >&2
    return 1
}

start_services

if command -v mysql >/dev/null 2>&1; then
    wait_for MariaDB mysqladmin -uroot --protocol=tcp -h127.0.0.1 ping
    mysql -uroot --protocol=tcp -h127.0.0.1 <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'%' IDENTIFIED BY '$DB_PW';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PW';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'localhost' WITH GRANT OPTION;
FLUSH PRIVILEGES;
CREATE DATABASE IF NOT EXISTS $DB_USER;
SQL
fi

if command -v psql >/dev/null 2>&1; then
    wait_for PostgreSQL pg_isready -h 127.0.0.1
    psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PW';
  END IF;
END \$\$;
SQL
    psql -h 127.0.0.1 -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='$DB_USER'" | grep -q 1 || \
        createdb -h 127.0.0.1 -U postgres -O $DB_USER $DB_USER
fi

if command -v rabbitmqctl >/dev/null 2>&1; then
    wait_for RabbitMQ rabbitmqctl -q status
fi
echo "test-setup: database accounts and services ready"

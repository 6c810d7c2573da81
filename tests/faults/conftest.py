from tests.faults.figures import RECORDED, table


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if RECORDED:
        terminalreporter.section("fault suite figures")
        terminalreporter.write_line(table(RECORDED))

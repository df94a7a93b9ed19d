#include "process/cancellation.hpp"

#include <utility>

namespace frameserve::process {

namespace {
thread_local std::function<bool()> t_check;
}  // namespace

CancelScope::CancelScope(std::function<bool()> check) : m_previous(std::exchange(t_check, std::move(check))) {}

CancelScope::~CancelScope() { t_check = std::move(m_previous); }

bool cancelled() { return t_check && t_check(); }

}  // namespace frameserve::process
